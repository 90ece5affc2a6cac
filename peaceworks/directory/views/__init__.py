"""The directory's pages, by subdomain: organisations, relations (stakeholders, partnerships,
engagements, follow-ups) and data (map, import, export)."""
