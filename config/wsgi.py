import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The URLconf, and with it every view and the API, before the process serves: else the first
# request imports them (0.4 to 1 s of CPU), whatever page it asks for.
from django.urls import get_resolver  # noqa: E402 -- needs the apps loaded above

get_resolver().url_patterns  # noqa: B018 -- imports the URLconf

# Only servers import this module: start the chart engine and load the analytics snapshots
# before the first request needs them (peaceworks/web/warmup.py).
from peaceworks.web.warmup import start_warm_up  # noqa: E402 -- needs the apps loaded above

start_warm_up()
