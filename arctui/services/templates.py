"""Email templates: Jinja2 in its sandbox, the team's folder first, the shipped defaults after.

A template is a ``NAME.j2`` file whose first line is the subject and the rest the body.
The team's folder (``[email] templates_dir`` of the settings, or ``$ARCTUI_TEMPLATES_DIR``,
both read once into ``Settings``) overrides a shipped template by giving a file the same
name. Templates are edited by people outside the code, so they run sandboxed: no attribute
tricks (``''.__class__``), no imports, and an unknown variable is an error rather than an
empty string in a customer's letter. The sandbox has a budget too (``template_sandbox``):
a template that loops without end or builds a huge string is stopped after
RENDER_SECONDS or MAX_CHARS with a TemplateError naming its file.
"""

from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.exceptions import TemplateError as JinjaError

from arctui.config import TEMPLATES_ENV, Settings
from arctui.domain.money import format_money
from arctui.domain.text import unsafe_character
from arctui.services import template_sandbox as sandbox
from arctui.services.errors import ServiceError

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAMES = (
    "first_reminder",
    "second_reminder",
    "final_notice",
    "statement",
    "promise_confirmation",
    "plan_agreement",
)
SUFFIX = ".j2"


class TemplateError(ServiceError):
    """A template that cannot be found, read or rendered; the message names its file."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def team_dir(settings: Settings) -> Path | None:
    """The team's templates folder: ``[email] templates_dir`` (or ``$ARCTUI_TEMPLATES_DIR``)."""
    folder = settings.section("email").get("templates_dir")
    return Path(folder) if folder else None


class Templates:
    """The templates one run renders, each compiled once: the team's ``folder`` (if any)
    first, the shipped defaults after."""

    def __init__(self, folder: Path | None = None, where: str | None = None):
        """``where`` says where the folder was set, for the message when it is no folder."""
        folder = Path(folder) if folder else None
        if folder is not None and not folder.is_dir():
            where = where or f"[email] templates_dir or ${TEMPLATES_ENV}"
            raise TemplateError(f"templates folder {folder} is not a folder ({where})")
        self.folders = [f for f in (folder, DEFAULT_DIR) if f is not None]
        self.env = sandbox.BoundedSandbox(
            loader=ChoiceLoader([FileSystemLoader(f) for f in self.folders]),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
        )
        self.env.filters["money"] = format_money
        self._compiled: dict[str, tuple] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> "Templates":
        """The team's folder as the settings name it, then the defaults."""
        where = f"[email] templates_dir in {settings.where}, or ${TEMPLATES_ENV}"
        return cls(team_dir(settings), where)

    def source_file(self, name: str) -> str:
        """The file ``name`` is read from: the team's copy if it has one, else the default."""
        return self._compile(name)[0]

    def render(self, name: str, context: dict) -> Rendered:
        filename, subject, body = self._compile(name)
        sandbox.start()
        part = 0
        try:
            subject_text = sandbox.limited_output(subject.generate(context), "the subject (line 1)")
            part = 1
            body_text = sandbox.limited_output(body.generate(context), "the body")
            rendered = Rendered(subject_text.strip(), body_text.lstrip("\n"))
        except sandbox.RenderLimit as exc:
            raise TemplateError(f"{filename}: {_where(exc, part)}stopped: {exc}") from None
        except SecurityError as exc:
            raise TemplateError(f"{filename}: refused by the template sandbox: {exc}") from None
        except JinjaError as exc:
            raise TemplateError(f"{filename}: {exc}") from None
        except _RUNTIME_ERRORS as exc:  # the template's own mistake: 1/0, 'a' + 1, a macro calling itself
            raise TemplateError(f"{filename}: {_where(exc, part)}{type(exc).__name__}: {exc}") from None
        finally:
            sandbox.stop()
        if not rendered.subject:
            raise TemplateError(f"{filename}: line 1 (the subject) renders empty")
        # a subject's CR or LF is the email header check's to refuse (header injection); the
        # rest of the control characters, in either part, are refused here
        subject = rendered.subject.replace("\r", " ").replace("\n", " ")
        body = rendered.body.replace("\r\n", "\n")
        for part, rendered_text in (("line 1 (the subject)", subject), ("the body", body)):
            problem = unsafe_character(rendered_text, multiline=True)
            if problem:
                raise TemplateError(
                    f"{filename}: {part} renders a {problem} (from the template or the account's data); "
                    "an email carries no control characters"
                )
        return rendered

    def _compile(self, name: str) -> tuple:
        if name not in self._compiled:
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name + SUFFIX)
            except TemplateNotFound:
                where = ", ".join(str(f) for f in self.folders)
                raise TemplateError(f"no template {name}{SUFFIX} in {where}") from None
            except (OSError, UnicodeDecodeError) as exc:
                problem = f"cannot be read as UTF-8 text ({exc})"
                raise TemplateError(f"{name}{SUFFIX}: {problem}") from None
            subject, _, body = source.partition("\n")
            self._compiled[name] = (filename, self._parse(filename, subject, 0), self._parse(filename, body, 1))
        return self._compiled[name]

    def _parse(self, filename: str, source: str, first_line: int):
        try:
            return self.env.from_string(source)
        except TemplateSyntaxError as exc:
            line = exc.lineno + first_line
            raise TemplateError(f"{filename}: line {line}: {exc.message}") from None


_RUNTIME_ERRORS = (ArithmeticError, LookupError, RecursionError, MemoryError, TypeError, ValueError, AttributeError)


def _where(exc: BaseException, first_line: int) -> str:
    """``line N: `` of the template where ``exc`` was raised (Jinja maps its frames to the
    template's lines), or nothing when it cannot tell."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"line {line + first_line}: " if line else ""
