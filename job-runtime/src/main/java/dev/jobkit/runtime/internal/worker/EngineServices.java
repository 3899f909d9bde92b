package dev.jobkit.runtime.internal.worker;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.internal.store.JobStore;
import java.time.Clock;

/**
 * What the engine's collaborators share and use directly: the store, the job types, the clock, the
 * settings, the lease owner id of this engine, the retry backoff, the in-process watchers, the
 * lifecycle events and the one reporter of storage failures. Each part is thread-safe; none of them
 * calls back into the {@link Engine} (what a collaborator needs of the engine itself it gets
 * through its own small interface).
 */
record EngineServices(
    JobStore store,
    JobRegistry registry,
    Clock clock,
    EngineConfig config,
    String owner,
    Backoff backoff,
    JobWatchers watchers,
    LifecycleEvents events,
    StorageOutage outage) {}
