"""The pseudonymisation key: where it is looked for, what a usable one is, and the errors.

The key is the only secret of a pseudonym (names are easy to guess): it is read from a key
file given on the command line, the ``FAC_EVAL_KEY`` environment variable or a file it names
(``FAC_EVAL_KEY_FILE``), never from inside a git working tree or this project, never from a
folder, a device or a pipe, and it must be long enough (:func:`load_key`). The bilingual errors
of pseudonymisation live here too (:class:`KeyMissingError`, :class:`PseudonymisationError`);
:mod:`fac_eval.disclosure.privacy` gives them under its own name.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fac_eval.core.formatting import fmt_number
from fac_eval.core.i18n import N_, both


class _Bilingual:
    """Mixin of errors whose message exists in French and English: ``str()`` gives both
    (French first), :meth:`message` one of them."""

    def _set_messages(self, fr: str, en: str | None) -> str:
        self.fr = fr
        self.en = fr if en is None else en
        return fr if en is None else f"{fr}\n{en}"

    def message(self, lang: str = "fr") -> str:
        """The message in one language only (French by default, English with ``lang="en"``)."""
        return self.en if str(lang).lower().startswith("en") else self.fr


class KeyMissingError(_Bilingual, RuntimeError):
    """No usable pseudonymisation key (``.message(lang)``: the explanation in one language)."""

    def __init__(self, fr: str, en: str | None = None):
        super().__init__(self._set_messages(fr, en))


class KeyInRepositoryError(KeyMissingError):
    """The key file lies inside a git repository (it could be committed)."""


class PseudonymisationError(_Bilingual, ValueError):
    """A file cannot be pseudonymised as asked (``.message(lang)`` in one language)."""

    def __init__(self, fr: str, en: str | None = None):
        super().__init__(self._set_messages(fr, en))


_KEY_HELP = N_("Create a key with `python -c \"import secrets; print(secrets.token_hex(32))\"`, "
                "keep it outside the repository (password manager or a file in your home folder) "
                "and pass it in the %(env)s environment variable or as a key file (--key-file).")


def _with_key_help(message: str, env_var: str, **values) -> tuple[str, str]:
    """``message`` then, on a new line, how to make and give a key, in French and English."""
    fr, en = both(message, **values)
    help_fr, help_en = both(_KEY_HELP, env=env_var)
    return f"{fr}\n{help_fr}", f"{en}\n{help_en}"


def generate_key() -> str:
    """A new random key (64 hex characters) to store outside the repository."""
    return secrets.token_hex(32)


def _project_root() -> Path | None:
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").exists() else None


def _enclosing_git_root(path: Path) -> Path | None:
    for parent in path.parents:
        if (parent / ".git").exists():
            return parent
    return None


def _check_key(key: bytes, origin: str, env_var: str, min_length: int) -> bytes:
    if len(key) < min_length:
        raise KeyMissingError(*_with_key_help(
            N_("The pseudonymisation key (%(origin)s) is too short: %(length)s bytes, at least "
               "%(min)s are needed."), env_var, origin=origin, length=len(key), min=min_length))
    return key


def _read_key_file(path, env_var: str, min_length: int) -> bytes:
    p = Path(path).expanduser().resolve()
    repo = _enclosing_git_root(p)
    project = _project_root()
    if project is not None and project in p.parents:
        repo = repo or project
    if repo is not None:
        raise KeyInRepositoryError(*both(
            N_("The key file %(path)s is inside the repository %(repo)s: it could be committed "
               "with the code. Move it outside the repository."), path=p, repo=repo))
    if p.exists() and not p.is_file():  # a folder, a device (/dev/zero), a pipe: never read
        raise KeyMissingError(*_with_key_help(N_(
            "The key file %(path)s is not a file (a folder, a device or a pipe)."), env_var,
            path=p))
    if not p.is_file():
        raise KeyMissingError(*_with_key_help(N_("Key file not found: %(path)s."), env_var,
                                              path=p))
    if p.stat().st_size > MAX_KEY_FILE_BYTES:
        raise KeyMissingError(*_with_key_help(N_(
            "The key file %(path)s is too large to be a key (%(size)s bytes; a key is a line "
            "of some 64 characters)."), env_var, path=p,
            size=lambda lang: fmt_number(p.stat().st_size, lang)))
    return _check_key(p.read_bytes().strip(), str(p), env_var, min_length)


#: Largest key file read (bytes): a key is one line.
MAX_KEY_FILE_BYTES = 64 * 1024


def load_key(
    env_var: str = "FAC_EVAL_KEY", key_file=None, *, min_length: int = 16
) -> bytes:
    """The pseudonymisation key, as bytes.

    Looked up in this order: ``key_file`` if given; the environment variable ``env_var``
    (its text, UTF-8 encoded, stripped); a file named by the environment variable
    ``env_var + "_FILE"``. A key file inside a git working tree (any folder above it holds a
    ``.git``) or inside this project is refused with :class:`KeyInRepositoryError`. No key, or
    a key shorter than ``min_length`` bytes (names are easy to guess: the key is the only
    secret), raises :class:`KeyMissingError` with instructions in French and English.
    """
    if key_file is not None:
        return _read_key_file(key_file, env_var, min_length)
    value = os.environ.get(env_var, "").strip()
    if value:
        return _check_key(value.encode("utf-8"), f"${env_var}", env_var, min_length)
    path = os.environ.get(f"{env_var}_FILE", "").strip()
    if path:
        return _read_key_file(path, env_var, min_length)
    raise KeyMissingError(*_with_key_help(
        N_("No pseudonymisation key: the %(env)s environment variable is not set and no key file "
           "was given. Nothing was written."), env_var, env=env_var))
