"""Spanish: Django's formats, with a short date that names its month."""

SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
