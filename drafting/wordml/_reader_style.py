"""Just enough of styles.xml to tell hidden (w:vanish) and white-on-background text from ordinary text."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from drafting.wordml import _reader_tags as t

_STYLE, _BASED_ON = t.w("style"), t.w("basedOn")
_A_STYLE_ID, _A_DEFAULT = t.w("styleId"), t.w("default")
_OFF = frozenset({"0", "false", "off"})
_WHITE = "FFFFFF"
_HIGHLIGHTS = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkblue": "000080",
    "darkcyan": "008080",
    "darkgreen": "008000",
    "darkmagenta": "800080",
    "darkred": "800000",
    "darkyellow": "808000",
    "darkgray": "808080",
    "lightgray": "C0C0C0",
}


@dataclass(frozen=True, slots=True)
class RunLook:
    """How a run shows: hidden, or coloured like its background."""

    hidden: bool
    white: bool


@dataclass(frozen=True, slots=True)
class _Looks:
    hidden: bool | None = None
    color: str | None = None
    background: str | None = None


class StyleFlags:
    """Per style id: effective vanish, text colour and background, resolved through w:basedOn."""

    def __init__(
        self, looks: dict[str, _Looks] | None = None, default_paragraph: str | None = None
    ) -> None:
        self._looks = looks or {}
        self._default_paragraph = default_paragraph

    def look(
        self, rpr: etree._Element | None, paragraph_style: str | None, shade: str | None
    ) -> RunLook | None:
        """Return how a run shows if it is hidden or white-on-background, else None."""
        hidden, color, background, run_style = (
            _direct(rpr) if rpr is not None else (None, None, None, None)
        )
        for style_id in (run_style, paragraph_style or self._default_paragraph):
            styled = self._looks.get(style_id) if style_id else None
            if styled is not None:
                hidden = styled.hidden if hidden is None else hidden
                color = color or styled.color
                background = background or styled.background
        background = background or shade
        white = _white(color, background)
        if hidden or white:
            return RunLook(hidden=bool(hidden), white=white)
        return None


def _white(color: str | None, background: str | None) -> bool:
    """Text in its background's colour (white on no background): there, but unseen."""
    return color is not None and (color == background or (color == _WHITE and background is None))


def _direct(rpr: etree._Element) -> tuple[bool | None, str | None, str | None, str | None]:
    hidden = color = background = run_style = None
    for child in rpr:
        tag = child.tag
        if tag not in t.LOOK_PROPS:
            continue
        if tag == t.VANISH:
            hidden = on(child)
        elif tag == t.COLOR:
            color = hex_color(child.get(t.A_VAL))
        elif tag == t.HIGHLIGHT:
            background = background or hex_color(child.get(t.A_VAL))
        elif tag == t.SHD:
            background = background or fill(child)
        elif tag == t.R_STYLE:
            run_style = child.get(t.A_VAL)
    return hidden, color, background, run_style


def on(element: etree._Element) -> bool:
    """Value of an OOXML on/off property element."""
    return (element.get(t.A_VAL) or "true").lower() not in _OFF


def hex_color(value: str | None) -> str | None:
    """Normalise a colour (hex or highlight name) to upper-case hex; None for auto/none."""
    if not value:
        return None
    lowered = value.lower()
    if lowered in ("auto", "none"):
        return None
    return _HIGHLIGHTS.get(lowered, value.upper())


def fill(shd: etree._Element | None) -> str | None:
    """The fill colour of a w:shd, or None."""
    return None if shd is None else hex_color(shd.get(t.A_FILL))


def style_flags(root: etree._Element | None) -> StyleFlags:
    """Read styles.xml (None: no styles) into StyleFlags."""
    if root is None:
        return StyleFlags()
    own: dict[str, tuple[str | None, _Looks]] = {}
    default_paragraph = None
    for style in root.iter(_STYLE):
        style_id = style.get(_A_STYLE_ID)
        if not style_id:
            continue
        if _is_default_paragraph(style):
            default_paragraph = style_id
        based = style.find(_BASED_ON)
        own[style_id] = (None if based is None else based.get(t.A_VAL), _style_looks(style))
    resolved = {style_id: _resolve(style_id, own) for style_id in own}
    return StyleFlags({k: v for k, v in resolved.items() if v != _Looks()}, default_paragraph)


def _is_default_paragraph(style: etree._Element) -> bool:
    """The style paragraphs without a style of their own take."""
    default = (style.get(_A_DEFAULT) or "").lower() in ("1", "true", "on")
    return style.get(t.A_TYPE) == "paragraph" and default


def _style_looks(style: etree._Element) -> _Looks:
    rpr, ppr = style.find(t.R_PR), style.find(t.P_PR)
    hidden = color = background = None
    if rpr is not None:
        hidden, color, background, _ = _direct(rpr)
    if background is None and ppr is not None:
        background = fill(ppr.find(t.SHD))
    return _Looks(hidden, color, background)


def _resolve(style_id: str, own: dict[str, tuple[str | None, _Looks]]) -> _Looks:
    hidden = color = background = None
    seen: set[str] = set()
    current: str | None = style_id
    while current is not None and current in own and current not in seen:
        seen.add(current)
        parent, looks = own[current]
        hidden = looks.hidden if hidden is None else hidden
        color = color or looks.color
        background = background or looks.background
        current = parent
    return _Looks(hidden, color, background)
