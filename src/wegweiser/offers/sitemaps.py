from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class OfferSitemap(Sitemap):
    """Every published offer in every UI language, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return selectors.offer_list_for_sitemap()

    def location(self, item):
        return reverse("offers:offer-detail", kwargs={"uuid": item.uuid})

    def lastmod(self, item):
        return item.updated_at


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["core:home", "offers:offer-list", "offers:good-practice-list"]

    def location(self, item):
        return reverse(item)
