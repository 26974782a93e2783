"""The card queue (filled in when the cards projection is on the log)."""
from __future__ import annotations

from aiohttp import web

from revloop.console.app import render


async def cards_page(request: web.Request) -> web.Response:
    return render(request, "cards.html", cards=[], page="cards")


ROUTES = [("GET", "/t/{tenant}/cards", cards_page, "viewer")]
