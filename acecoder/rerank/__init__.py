"""Best-of-N reranking of benchmark samples: pick one of N sampled programs per task, and measure the pick.

`pipeline.rerank` is the whole command (`acecoder rerank`); the parts are, in the order they run:
`formats` (read samples, write the selection), `sanitize` (cut a sample down to its function),
`candidates` (what a method may see of a task), `methods` (exec in `mbr_exec` with `probes`, `examples` and
`values`; rm and rm+exec in `reward`; random; first), `execution` (the sandbox pool behind exec and the
evaluation), `evaluation` (hidden-test verdicts of every candidate), `passk` and `report` (the figures).
"""
