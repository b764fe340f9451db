"""One reading of the search caches' change tokens per request."""

from . import tokens


class TokensScopeMiddleware:
    """Every cache a request consults (lexical snapshot, vectors, offer arrays, synonyms, name
    index) sees the same change tokens, read in one query when the first is needed: a public
    search page consulted them about 35 times, one query each. Requests that never search
    read none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with tokens.tokens_scope():
            return self.get_response(request)
