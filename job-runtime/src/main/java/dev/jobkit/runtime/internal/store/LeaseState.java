package dev.jobkit.runtime.internal.store;

/**
 * A lease still held after a renewal, with the control flags other processes may have set.
 *
 * @param cancelRequested a user asked to cancel; the worker should stop at its next safe point
 * @param pauseRequested a user asked to pause
 */
public record LeaseState(String id, long epoch, boolean cancelRequested, boolean pauseRequested) {}
