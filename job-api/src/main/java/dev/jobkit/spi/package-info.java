/**
 * The service-provider interface that generated code implements: {@link
 * dev.jobkit.spi.JobRegistration} and {@link dev.jobkit.spi.JobCodec}, plus support classes that
 * generated codecs call. Application code rarely needs it.
 */
package dev.jobkit.spi;
