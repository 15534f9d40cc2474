"""The curated real data in `fixtures/curated/`: releases, variants, benchmarks, leaderboard
sources, aliases, citations, claims and the figures vendors report about other models.

- `specs`: each model's fields, described once (YAML key, reader, default, reference, column).
- `reading`: YAML -> validated plain records; errors name the file, the record and the field.
- `writing`: records -> database, idempotent (unchanged rows are not saved).
- `loading`: `curated_data_load()`, the two in one transaction; what `manage.py load_curated` runs.

The YAML is keyed by natural keys (slugs, names, a citation's URL and document hash), never by
database ids, so it stays editable by hand.
"""
