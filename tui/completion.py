"""``papers completion bash|zsh|fish``: completion scripts made from the argument parser.

The scripts are generated from ``tui.cli.build_parser()`` each time, by walking its
subcommands and options, so they cannot drift from the CLI.  Each script carries the
same small table (command path -> subcommands, options, options taking a value) and
one function that finds the command path in the words typed so far.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")
FILE_METAVARS = {"FILE", "PATH"}
DIR_METAVARS = {"DIR"}


@dataclass
class Option:
    flags: list[str]
    help: str
    takes_value: bool
    choices: list[str]
    kind: str  # "file", "dir" or "" (a free value)


@dataclass
class Command:
    path: str  # "" for papers itself, "state export" for a nested one
    help: str = ""
    subcommands: dict[str, str] = field(default_factory=dict)  # name -> help
    options: list[Option] = field(default_factory=list)
    positional: str = ""  # "file", "dir" or "" (what a bare word completes to)
    words: list[str] = field(default_factory=list)  # a positional's choices


def _kind(metavar: object) -> str:
    name = str(metavar or "")
    if name in FILE_METAVARS:
        return "file"
    if name in DIR_METAVARS:
        return "dir"
    return ""


def _clean(text: str | None) -> str:
    text = (text or "").replace("%(default)s", "").replace("%%", "%")
    return re.sub(r"\s+", " ", text).strip()


def walk(parser: argparse.ArgumentParser) -> list[Command]:
    """Every command of ``parser``, parents before children."""
    out: list[Command] = []

    def visit(p: argparse.ArgumentParser, path: str, help_text: str) -> None:
        command = Command(path, _clean(help_text))
        out.append(command)
        children: list[tuple[str, argparse.ArgumentParser, str]] = []
        for action in p._actions:  # argparse has no public walk; completion tools read this
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, sub in action.choices.items():
                    command.subcommands[name] = _clean(helps.get(name))
                    children.append((name, sub, helps.get(name) or ""))
            elif action.option_strings:
                if action.help == argparse.SUPPRESS:
                    continue
                takes = action.nargs != 0
                choices = [str(c) for c in action.choices] if action.choices else []
                command.options.append(Option(list(action.option_strings), _clean(action.help),
                                              takes, choices, _kind(action.metavar)))
            elif not command.positional and not command.words:
                command.positional = _kind(action.metavar)
                command.words = [str(c) for c in action.choices or ()]
        for name, sub, text in children:
            visit(sub, f"{path} {name}".strip(), text)

    visit(parser, "", parser.description or "")
    return out


def script(shell: str, parser: argparse.ArgumentParser | None = None) -> str:
    if parser is None:
        from .cli import build_parser

        parser = build_parser()
    commands = walk(parser)
    return {"bash": bash, "zsh": zsh, "fish": fish}[shell](commands)


# -- shared pieces ------------------------------------------------------------------
def _words(items: list[str]) -> str:
    return " ".join(items)


def _value_options(command: Command) -> list[str]:
    return [flag for o in command.options if o.takes_value for flag in o.flags]


def _all_flags(command: Command) -> list[str]:
    return [flag for o in command.options for flag in o.flags]


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# What completes an option's value, per shell: (choices, a folder, a file, anything else).
_BASH_VALUES = (lambda words: f"COMPREPLY=($(compgen -W {_sh_quote(words)} -- \"$cur\"))",
                'COMPREPLY=($(compgen -d -- "$cur"))', 'COMPREPLY=($(compgen -f -- "$cur"))',
                "COMPREPLY=()")
_ZSH_VALUES = (lambda words: f"compadd -- {words}", "_directories", "_files", ":")


def _value_cases(c: Command, actions) -> list[str]:
    """``case`` lines (bash and zsh share the syntax) completing each option's value."""
    choices, folder, file, other = actions
    cases = []
    for o in c.options:
        if not o.takes_value:
            continue
        if o.choices:
            action = choices(_words(o.choices))
        else:
            action = {"dir": folder, "file": file}.get(o.kind, other)
        cases += [f"        {_sh_quote(c.path + '|' + flag)}) {action}; return ;;"
                  for flag in o.flags]
    return cases


# -- bash ---------------------------------------------------------------------------
def bash(commands: list[Command]) -> str:
    subs, opts, values, positional, choice_cases = [], [], [], [], []
    for c in commands:
        key = _sh_quote(c.path)
        subs.append(f"        {key}) echo {_sh_quote(_words(list(c.subcommands)))} ;;")
        opts.append(f"        {key}) echo {_sh_quote(_words(_all_flags(c)))} ;;")
        values.append(f"        {key}) echo {_sh_quote(_words(_value_options(c)))} ;;")
        positional.append(f"        {key}) echo {_sh_quote(c.positional or _words(c.words))} ;;")
        choice_cases += _value_cases(c, _BASH_VALUES)
    nl = "\n"
    return f"""# bash completion for papers (generated by `papers completion bash`)
# source <(papers completion bash)    or save it in ~/.local/share/bash-completion/completions/papers

_papers_subcommands() {{
    case "$1" in
{nl.join(subs)}
    esac
}}

_papers_options() {{
    case "$1" in
{nl.join(opts)}
    esac
}}

_papers_value_options() {{
    case "$1" in
{nl.join(values)}
    esac
}}

_papers_positional() {{
    case "$1" in
{nl.join(positional)}
    esac
}}

_papers() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}"
    local prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local path="" word i skip=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        if ((skip)); then skip=0; continue; fi
        case "$word" in
            -*=*) ;;
            -*) case " $(_papers_value_options "$path") " in *" $word "*) skip=1 ;; esac ;;
            *) case " $(_papers_subcommands "$path") " in
                   *" $word "*) path="${{path:+$path }}$word" ;;
               esac ;;
        esac
    done
    if ((skip)); then
        case "$path|$prev" in
{nl.join(choice_cases)}
        esac
        COMPREPLY=()
        return
    fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$(_papers_options "$path")" -- "$cur"))
        return
    fi
    local subs
    subs="$(_papers_subcommands "$path")"
    if [[ -n "$subs" ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        return
    fi
    local what
    what="$(_papers_positional "$path")"
    case "$what" in
        file) COMPREPLY=($(compgen -f -- "$cur")) ;;
        dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
        '') COMPREPLY=() ;;
        *) COMPREPLY=($(compgen -W "$what" -- "$cur")) ;;
    esac
}}

complete -o filenames -F _papers papers
"""


# -- zsh ----------------------------------------------------------------------------
def _zsh_item(name: str, text: str) -> str:
    return _sh_quote(name.replace(":", "\\:") + (":" + text if text else ""))


def zsh(commands: list[Command]) -> str:
    subs, opts, values, positional, choice_cases = [], [], [], [], []
    for c in commands:
        key = _sh_quote(c.path)
        items = " ".join(_zsh_item(n, h) for n, h in c.subcommands.items())
        subs.append(f"        {key}) reply=({items}) ;;")
        oitems = " ".join(_zsh_item(f, o.help) for o in c.options for f in o.flags)
        opts.append(f"        {key}) reply=({oitems}) ;;")
        values.append(f"        {key}) reply=({_words(_value_options(c))}) ;;")
        positional.append(f"        {key}) REPLY={_sh_quote(c.positional or _words(c.words))} ;;")
        choice_cases += _value_cases(c, _ZSH_VALUES)
    nl = "\n"
    return f"""#compdef papers
# zsh completion for papers (generated by `papers completion zsh`)
# save as _papers in a directory on $fpath, or: source <(papers completion zsh)

_papers_subcommands() {{
    reply=()
    case "$1" in
{nl.join(subs)}
    esac
}}

_papers_options() {{
    reply=()
    case "$1" in
{nl.join(opts)}
    esac
}}

_papers_value_options() {{
    reply=()
    case "$1" in
{nl.join(values)}
    esac
}}

_papers_positional() {{
    REPLY=""
    case "$1" in
{nl.join(positional)}
    esac
}}

_papers() {{
    local path="" word i skip=0
    local -a reply names
    for ((i = 2; i < CURRENT; i++)); do
        word="${{words[i]}}"
        if ((skip)); then skip=0; continue; fi
        case "$word" in
            -*=*) ;;
            -*) _papers_value_options "$path"
                if (( ${{reply[(Ie)$word]}} )); then skip=1; fi ;;
            *) _papers_subcommands "$path"
               names=(${{reply%%:*}})
               if (( ${{names[(Ie)$word]}} )); then path="${{path:+$path }}$word"; fi ;;
        esac
    done
    if ((skip)); then
        case "$path|${{words[CURRENT-1]}}" in
{nl.join(choice_cases)}
        esac
        return
    fi
    if [[ "${{words[CURRENT]}}" == -* ]]; then
        _papers_options "$path"
        _describe -t options option reply
        return
    fi
    _papers_subcommands "$path"
    if (( ${{#reply}} )); then
        _describe -t commands command reply
        return
    fi
    _papers_positional "$path"
    case "$REPLY" in
        file) _files ;;
        dir) _directories ;;
        '') ;;
        *) compadd -- ${{=REPLY}} ;;
    esac
}}

if [[ "$funcstack[1]" == _papers ]]; then
    _papers "$@"
else
    compdef _papers papers
fi
"""


# -- fish ---------------------------------------------------------------------------
def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(commands: list[Command]) -> str:
    subs, values = [], []
    for c in commands:
        subs.append(f"        case {_fish_quote(c.path)}\n"
                    f"            echo {_fish_quote(_words(list(c.subcommands)))}")
        values.append(f"        case {_fish_quote(c.path)}\n"
                      f"            echo {_fish_quote(_words(_value_options(c)))}")
    lines = [
        "# fish completion for papers (generated by `papers completion fish`)",
        "# papers completion fish > ~/.config/fish/completions/papers.fish",
        "",
        "function __papers_subcommands",
        "    switch $argv[1]",
        *subs,
        "    end",
        "end",
        "",
        "function __papers_value_options",
        "    switch $argv[1]",
        *values,
        "    end",
        "end",
        "",
        "function __papers_path --description 'the papers subcommand typed so far'",
        "    set -l words (commandline -opc)",
        "    set -e words[1]",
        "    set -l path ''",
        "    set -l skip 0",
        "    for word in $words",
        "        if test $skip = 1",
        "            set skip 0",
        "            continue",
        "        end",
        "        switch $word",
        "            case '-*=*'",
        "            case '-*'",
        "                if contains -- $word (string split ' ' (__papers_value_options \"$path\"))",
        "                    set skip 1",
        "                end",
        "            case '*'",
        "                if contains -- $word (string split ' ' (__papers_subcommands \"$path\"))",
        "                    set path (string trim \"$path $word\")",
        "                end",
        "        end",
        "    end",
        "    echo $path",
        "end",
        "",
        "function __papers_at",
        "    test (__papers_path) = \"$argv[1]\"",
        "end",
        "",
        "complete -c papers -f",
    ]
    for c in commands:
        cond = f"-n {_fish_quote('__papers_at ' + _fish_quote(c.path))}"
        for name, text in c.subcommands.items():
            lines.append(f"complete -c papers {cond} -a {_fish_quote(name)} -d {_fish_quote(text)}")
        for o in c.options:
            parts = [f"complete -c papers {cond}"]
            for flag in o.flags:
                if flag.startswith("--"):
                    parts.append(f"-l {flag[2:]}")
                else:
                    parts.append(f"-s {flag[1:]}")
            if o.takes_value:
                if o.choices:
                    parts.append(f"-x -a {_fish_quote(_words(o.choices))}")
                elif o.kind in ("file", "dir"):
                    parts.append("-r -F")
                else:
                    parts.append("-x")
            if o.help:
                parts.append(f"-d {_fish_quote(o.help)}")
            lines.append(" ".join(parts))
        if not c.subcommands and c.positional in ("file", "dir"):
            lines.append(f"complete -c papers {cond} -F")
        if not c.subcommands and c.words:
            lines.append(f"complete -c papers {cond} -a {_fish_quote(_words(c.words))}")
    return "\n".join(lines) + "\n"
