"""The impact figures between the database and the pages: ``load`` builds the engine's frame
from the impact tables (the only ORM → engine code) and stores it; ``selectors`` reads the
campaign's snapshot for pages, downloads and the API through the one suppression family;
``export`` streams the raw data with its data dictionary. The engine itself
(``impact.analytics``) knows no ORM.
"""
