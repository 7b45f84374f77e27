"""Options the commands share, checked on every command the CLI has (discovered, so a new one cannot skip them).

- every command's ``--help`` works;
- a command whose code reaches the data-directory lookup (``ggtext.config.data_dir``) has the one shared
  ``--data`` option and passes its value on; a missing folder is an ``error:`` naming it;
- a command that decodes a text file the user names has the one shared ``--encoding`` option and passes it
  to the reader; the reader's encoding errors name ``--encoding`` (and ``encoding=`` for Python).
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import textwrap
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ggtext
import ggtext.config
import ggtext.reading.reader
from ggtext.cli import data_option, encoding_option, main
from ggtext.errors import InputError

COMMANDS = sorted(main.commands)
UTF16 = "The Global Compact for Migration was welcomed by the IOM and UNHCR in Marrakech.\n".encode("utf-16-le")


class Reached(BaseException):
    """Raised by a spy to stop a command once it reached the call under test (not caught as an error)."""


def _option(decorator) -> click.Option:
    """The click.Option a shared decorator adds."""
    return decorator(click.command()(lambda **_: None)).params[0]


def _flag(name: str, flag: str) -> click.Option | None:
    """The command's option spelled ``flag`` (``--data``), if it has one."""
    return next((p for p in main.commands[name].params if isinstance(p, click.Option) and flag in p.opts), None)


@functools.cache
def _graph():
    import grimp  # import-linter's import graph: imports inside functions count

    return grimp.build_graph("ggtext")


def _reaches_data_directory(name: str) -> bool:
    """Does the command's code import, directly or through ggtext modules, one that looks up the data directory?"""
    graph = _graph()
    users = {
        module
        for module in graph.modules
        if module != "ggtext.config"
        and (path := Path(ggtext.config.REPO_DIR, *module.split("."))).with_suffix(".py").is_file()
        and any(word in path.with_suffix(".py").read_text(encoding="utf-8") for word in ("data_dir(", "data_path("))
    }
    source = textwrap.dedent(inspect.getsource(main.commands[name].callback))
    imported = {
        "ggtext" + (f".{node.module}" if node.module else "")
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }
    reached = set(imported)
    for module in imported:
        reached |= graph.find_upstream_modules(module)
    return bool(reached & users)


def _arguments(name: str, probe: Path, tmp: Path) -> list[str]:
    """Command-line arguments that fill every required parameter: the probe file for each argument."""
    args: list[str] = []
    for param in main.commands[name].params:
        if isinstance(param, click.Argument):
            args.append(str(probe))
        elif param.required:
            if isinstance(param.type, click.Choice):
                value = param.type.choices[0]
            elif isinstance(param.type, click.Path) and not param.type.file_okay:
                value = str(tmp / f"dir_{param.name}")
            elif isinstance(param.type, click.Path):
                value = str(tmp / f"out_{param.name}.jsonl")
            else:
                value = "year"
            args += [param.opts[0], value]
    return args


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_commands_are_discovered():
    assert {"analyze", "score", "suggest", "replicate", "train"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(runner, name):
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: main {name}") or f"Usage: ggtext {name}" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_that_reads_the_data_directory_has_the_shared_data_option(name):
    shared = _option(data_option)
    option = _flag(name, "--data")
    if _reaches_data_directory(name):
        assert option is not None, f"ggtext {name} reads the data directory but has no --data"
    if option is not None:  # the one definition: same flag, help, default and check
        assert option.opts == shared.opts and option.help == shared.help
        assert option.envvar == shared.envvar == ggtext.config.DATA_ENV
        assert option.callback is shared.callback


def test_only_replicate_reads_the_data_directory_today():
    assert [name for name in COMMANDS if _reaches_data_directory(name)] == ["replicate"]


DATA_COMMANDS = [name for name in COMMANDS if _flag(name, "--data")]


@pytest.mark.parametrize("name", DATA_COMMANDS)
def test_a_missing_data_directory_is_an_error_naming_it(runner, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a default output folder (replicate's results/) would land here
    monkeypatch.delenv(ggtext.config.DATA_ENV, raising=False)
    missing = tmp_path / "no such data"
    args = _arguments(name, tmp_path / "probe.txt", tmp_path)
    for given in (["--data", str(missing)], []):
        env = {} if given else {ggtext.config.DATA_ENV: str(missing)}
        result = runner.invoke(main, [name, *args, *given], env=env)
        assert result.exit_code == 2, (given, result.output)
        assert "error:" in result.output and str(missing) in result.output, result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize("name", DATA_COMMANDS)
def test_the_data_option_reaches_the_data_directory_lookup(runner, name, tmp_path, monkeypatch):
    """The command hands --data on: the lookup past the option's own check gets that folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ggtext.config.DATA_ENV, raising=False)
    data = tmp_path / "data"
    data.mkdir()
    real, seen = ggtext.config.data_dir, []

    def spy(path=None, *, required=True):
        if sys._getframe(1).f_globals["__name__"] == "ggtext.cli":  # the option's own check
            return real(path, required=required)
        seen.append(path)
        raise Reached

    monkeypatch.setattr(ggtext.config, "data_dir", spy)
    with pytest.raises(Reached):
        runner.invoke(main, [name, *_arguments(name, tmp_path / "probe.txt", tmp_path), "--data", str(data)])
    assert [Path(p).resolve() for p in seen] == [data.resolve()]


@pytest.fixture()
def utf16_file(tmp_path) -> Path:
    probe = tmp_path / "probe_utf16.txt"
    probe.write_bytes(UTF16)
    return probe


def _decoded(name: str, utf16_file: Path, tmp_path: Path, monkeypatch, extra: list[str]) -> list[str | None]:
    """The encodings the reader was asked for when the command decoded the probe file (empty: it never did)."""
    real, seen = ggtext.reading.reader.decode, []

    def spy(data, *, name, encoding=None):
        if utf16_file.stem in name:
            seen.append(encoding)
            raise Reached
        return real(data, name=name, encoding=encoding)

    monkeypatch.setattr(ggtext.reading.reader, "decode", spy)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    try:
        CliRunner().invoke(main, [name, *_arguments(name, utf16_file, out), *extra])
    except Reached:
        pass
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_that_decodes_user_files_has_the_shared_encoding_option(name, utf16_file, tmp_path, monkeypatch):
    if not any(isinstance(p, click.Argument) for p in main.commands[name].params):
        pytest.skip(f"ggtext {name} takes no file argument")  # replicate: it reads the data directory only
    option = _flag(name, "--encoding")
    if _decoded(name, utf16_file, tmp_path, monkeypatch, []):
        assert option is not None, f"ggtext {name} decodes text files but has no --encoding"
        assert _decoded(name, utf16_file, tmp_path, monkeypatch, ["--encoding", "utf-16-le"]) == ["utf-16-le"]
    if option is not None:
        shared = _option(encoding_option)
        assert option.opts == shared.opts and option.help == shared.help


def test_encoding_errors_name_the_flag_and_the_keyword(utf16_file, runner, tmp_path):
    with pytest.raises(InputError, match=r"encoding=\.\.\. \(--encoding on the command line\)"):
        ggtext.read(utf16_file)
    failed = runner.invoke(main, ["analyze", str(utf16_file), "--no-model"])
    assert failed.exit_code == 2 and "error:" in failed.output and "--encoding" in failed.output
    read = runner.invoke(main, ["analyze", str(utf16_file), "--no-model", "--json", "--encoding", "utf-16-le"])
    assert read.exit_code == 0, read.output
    assert "Global Compact for Migration" in read.output


def test_legacy_fallback_warning_names_the_flag_too():
    legacy = ("The Global Compact for Migration was welcomed by the délégué of Côte d'Ivoire. " * 3).encode("cp1252")
    warnings = ggtext.read(legacy).warnings
    assert any("--encoding" in w and "encoding=" in w for w in warnings), warnings


@pytest.mark.slow
def test_the_commands_that_decode_user_files_today(utf16_file, tmp_path, monkeypatch):
    decoding = [
        name
        for name in COMMANDS
        if any(isinstance(p, click.Argument) for p in main.commands[name].params)
        and _decoded(name, utf16_file, tmp_path, monkeypatch, [])
    ]
    assert decoding == ["analyze", "score", "suggest"]


@pytest.mark.slow
def test_suggest_says_which_documents_it_could_not_read_and_reads_them_with_encoding(runner, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "We support the Global Compact for Migration, and we believe the IOM and UNHCR can make migration safe and orderly."
    (corpus / "speech.txt").write_bytes(text.encode("utf-16-le"))
    out, folder = tmp_path / "batch.jsonl", str(corpus)
    skipped = runner.invoke(main, ["suggest", folder, "-n", "5", "-o", str(out)])
    assert skipped.exit_code == 0, skipped.output
    assert "warning: 1 document(s) could not be read" in skipped.output and "--encoding" in skipped.output
    read = runner.invoke(main, ["suggest", folder, "-n", "5", "-o", str(out), "--encoding", "utf-16-le"])
    assert read.exit_code == 0, read.output
    assert "warning:" not in read.output and "1 passages" in read.output
    assert "Global Compact for Migration" in out.read_text(encoding="utf-8")
