-- jobkit schema version 11 (both dialects, same shape; see sqlite/V11__trace_context.sql):
-- tracing (#13).
--
-- * jobkit_jobs.trace_context: the trace context of the code that dispatched the job (W3C
--   traceparent/tracestate as a small JSON object of strings), written with the row and read at
--   claim; NULL when nothing supplied one (no interceptor, no traceparent header, a schedule fire).
-- * jobkit_job_logs.trace_id: the trace id of the attempt that wrote the line, when an interceptor
--   set one for it (job-opentelemetry); NULL otherwise.
ALTER TABLE jobkit_jobs ADD COLUMN trace_context TEXT;
ALTER TABLE jobkit_job_logs ADD COLUMN trace_id TEXT;
