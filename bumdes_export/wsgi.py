import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bumdes_export.settings")
application = get_wsgi_application()

# Ready before the first request (``bumdes_export.core.warmup``).
from bumdes_export.core.warmup import warm_up  # noqa: E402

warm_up()
