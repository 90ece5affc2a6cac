"""Scripts run by `.ci/run` and by hand (hostile corpus, fault injection, load)."""
