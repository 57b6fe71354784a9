"""The API's throttle: DRF's anonymous rate, counted by infra.ratelimit.

The counters share the store of every other limit (never the evictable
default cache), and a store that cannot be reached answers 503 instead of
letting every request through.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, throttling

from infra import ratelimit


class LimitUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = _("The service is busy. Try again later.")
    default_code = "service_unavailable"


class AnonRateThrottle(throttling.AnonRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        # DRF's key: the client's address as the trusted proxies saw it.
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        try:
            self._wait = ratelimit.hit(self.scope, ident, self.rate)
        except ratelimit.LimitUnavailable as error:
            raise LimitUnavailable from error
        return self._wait == 0

    def wait(self):
        return self._wait
