import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Only servers import this module: start the chart engine and load the analytics snapshots
# before the first request needs them (peaceworks/web/warmup.py).
from peaceworks.web.warmup import start_warm_up  # noqa: E402 -- needs the apps loaded above

start_warm_up()
