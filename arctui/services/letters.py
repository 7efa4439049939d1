"""Letters to print, written as text files into a folder the team shares: dunning's letter steps,
and statements for accounts with no email address. One file per account, template and day (or
period), so a run that is repeated after a failure writes the same letter again under the same name."""

from pathlib import Path

from arctui.services.reports import open_output

LETTERS_DIR = Path("letters")
FOLDER_MODE = 0o770


def write_letter(letters_dir: Path, when: str, account_no: str, template: str, subject: str, body: str) -> Path:
    """Write one letter (``letter_text``); returns where."""
    path = letters_dir / f"{when}-{_file_safe(account_no)}-{template}.txt"
    letters_dir.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    with open_output(path) as stream:
        stream.write(letter_text(subject, body))
    return path


def letter_text(subject: str, body: str) -> str:
    """A letter as printed: its subject, a blank line, its body."""
    return f"{subject}\n\n{body}"


def _file_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)
