"""URLs read the way a browser reads them (WHATWG URL parsing, the parts that decide where a
request goes), so the final check (site.final_check) cannot be fooled by a spelling that a
plain prefix test misses: ` //host`, `\\\\host`, `https:\\\\host`, `HTTPS:host`, `java\\tscript:`.

Attribute values arrive decoded (lxml resolves character references), as the browser sees them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
SPECIAL = ("http", "https", "ftp", "ws", "wss", "file")
# data: documents a browser would run script in
SCRIPTING_DATA = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
                  "application/xml")


@dataclass(frozen=True)
class Url:
    """Where a URL leads: kind is "relative" (this site), "host" (host is set), "script"
    (javascript:, vbscript:, a data: document), "data" (inert data: content) or "other"
    (mailto:, tel: and any other scheme; scheme is set)."""

    kind: str
    host: str = ""
    scheme: str = ""


def clean(value: str) -> str:
    """What the URL parser starts from: C0 controls and spaces stripped at both ends, every
    tab and newline inside removed."""
    return TAB_OR_NEWLINE.sub("", value.strip(C0_AND_SPACE))


def parse(value: str) -> Url:
    url = clean(value)
    found = SCHEME.match(url)
    if not found:
        slashed = url.replace("\\", "/")  # the page's own scheme is special (http/https/file)
        return Url("host", _host(slashed[2:])) if slashed.startswith("//") else Url("relative")
    scheme, rest = found.group(1).lower(), url[found.end():]
    if scheme in ("javascript", "vbscript"):
        return Url("script", scheme=scheme)
    if scheme == "data":
        kind = rest.split(",", 1)[0].split(";", 1)[0].strip(C0_AND_SPACE).lower()
        return Url("script" if kind in SCRIPTING_DATA else "data", scheme=scheme)
    if scheme in SPECIAL:
        # `https:host`, `https:\\host` and `https:///host` all lead to host (where the page
        # is not itself on https, and nobody can promise it is)
        return Url("host", _host(rest.replace("\\", "/").lstrip("/")), scheme)
    return Url("other", scheme=scheme)


def _host(authority_and_path: str) -> str:
    authority = re.split(r"[/?#]", authority_and_path, maxsplit=1)[0]
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.split(":", 1)[0].lower().rstrip(".")


def site_host(site_url: str) -> str:
    return _host(urlsplit(site_url).netloc)


def srcset_urls(value: str) -> list[str]:
    """The URL of each image candidate (HTML's srcset parsing: a candidate's URL runs to the
    next whitespace; a comma ends it only when it is the URL's last character)."""
    urls, position = [], 0
    while position < len(value):
        while position < len(value) and (value[position] in ", " or value[position] in "\t\n\r\f"):
            position += 1
        start = position
        while position < len(value) and not value[position].isspace():
            position += 1
        url = value[start:position].rstrip(",")
        if url:
            urls.append(url)
        if value[start:position].endswith(","):
            continue
        depth = 0  # the descriptors, up to a comma outside parentheses
        while position < len(value) and (value[position] != "," or depth):
            depth += {"(": 1, ")": -1}.get(value[position], 0)
            position += 1
    return urls


CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.S)
CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s]*))", re.I)
CSS_STRING_URL = re.compile(
    r"(?:@import|image-set\(|src\()\s*(?:url\()?\s*(?:\"([^\"]*)\"|'([^']*)')", re.I)


def css_urls(css: str) -> list[str]:
    """Every URL a stylesheet may load: url(), @import, image-set() and src() strings, after
    comments are dropped and escapes decoded (`\\75 rl(` is `url(`)."""
    text = CSS_ESCAPE.sub(_unescape, CSS_COMMENT.sub("", css))
    found = [m.group(1) or m.group(2) or m.group(3) or "" for m in CSS_URL.finditer(text)]
    found += [m.group(1) or m.group(2) or "" for m in CSS_STRING_URL.finditer(text)]
    return [url for url in found if url.strip(C0_AND_SPACE)]


def _unescape(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return match.group(2)


REFRESH = re.compile(r"^[\s\d.]*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.I | re.S)


def refresh_url(content: str) -> str:
    """The URL of a <meta http-equiv=refresh> (`5; url='x'`), or "" when it only reloads."""
    found = REFRESH.match(content)
    url = found.group(1).strip() if found else ""
    if url[:1] in ("'", '"'):
        url = url[1:].split(url[0], 1)[0]
    return url
