"""The config's effect on the running app: theme, keymap, messages, saving the theme.

Two calls from ``PapersApp``: :func:`prepare` in ``__init__`` (before the first paint,
so a configured theme or keymap costs no second restyle) and :func:`mount` in
``on_mount`` (messages, and the watcher that saves a theme chosen in the palette).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Config, check_theme, save_theme

if TYPE_CHECKING:
    from textual.app import App


DAYS_WIDTH = 25  # "2024-06-14 Fri  100/100" and the border: the day list's content
PAPERS_SHARE, DETAIL_SHARE = 2, 3  # of the width left: the paper list, the reader


def css_variables(config: Config) -> dict[str, str]:
    """``$days-width``, ``$papers-share``, ``$detail-share`` for app.tcss (config [layout])."""
    detail = config.detail_share
    return {
        "days-width": str(config.days_width or DAYS_WIDTH),
        "papers-share": f"{1 if detail else PAPERS_SHARE}fr",
        "detail-share": f"{detail or DETAIL_SHARE}fr",
        # 60-99 columns: a slimmer day list and an even split, unless the config says
        "days-width-medium": str(config.days_width or DAYS_WIDTH - 2),
        "detail-share-medium": f"{detail or 1}fr",
    }


def prepare(app: App, config: Config) -> None:
    check_theme(config, app.available_themes, app.theme)
    if config.theme != app.theme:
        app.theme = config.theme
    if config.keymap:
        from .keys_check import check_keymap

        check_keymap(config)
        if config.keymap:
            app.set_keymap(config.keymap)


def mount(app: App, config: Config) -> None:
    for message in config.messages:
        app.notify(message, title="config", severity="warning", markup=False, timeout=12)

    def theme_changed(theme: str) -> None:
        if config.path is None or theme == config.theme:
            return
        config.theme = theme
        try:
            save_theme(config.path, theme)
        except OSError as exc:
            app.notify(f"Theme not saved to {config.path}: {exc.strerror or exc}",
                       severity="warning", markup=False, timeout=8)

    app.watch(app, "theme", theme_changed, init=False)
