"""The consultation synthesis engine: pure functions on plain values, no ORM.

- ``groups``: opinion groups from an agree / disagree / pass vote matrix (PCA, k-means chosen by
  silhouette), representative statements per group and a group-aware consensus per statement.
- ``themes``: themes across languages in free-text contributions, through a multilingual concept
  lexicon (``consultations/data/concepts.json``), and facilitator edits that survive a re-run.
- ``duplicates``: near-duplicate contributions (MinHash over word shingles).
- ``language``: the language of a contribution, offline.
- ``lexicon``: the concept lexicon, lemmatisation and stop words shared by the above.
- ``samples``: seeded generated votes and contributions (tests, benchmark, demo).

Every result is a frozen dataclass with a canonical ``to_json()``: the same input and seed give
the same bytes. This package imports nothing on its own: import the module you need where you
need it (a task or a service), since scikit-learn takes about a second to load.

    votes, people, statements = vote_matrix(rows)          # groups.py
    groups = opinion_groups(votes, participant_ids=people, statement_ids=statements, seed=0)
    result = find_themes(texts, lexicon=load_lexicon(extra), seed=0)   # themes.py
    result = apply_edits(result, [edit_from_dict(d) for d in stored_edits])
"""
