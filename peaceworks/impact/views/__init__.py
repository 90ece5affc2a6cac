"""Pages of the impact app: the public respondent path and the coordinators' pages."""
