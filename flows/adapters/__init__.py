"""Adapters behind the ports the application object carries: files, mail, time, translation (wired in
flows.bootstrap; the translation port has no adapter shipped)."""

from flows.adapters.files import DocumentSink, FolderSink, confine, plain_name, write_out
from flows.adapters.mail import Mail, Mailer, NoMailer, Sent, SmtpMailer, SmtpSettings, mailer_for
from flows.adapters.translation import Translator

__all__ = [
    "DocumentSink",
    "FolderSink",
    "Mail",
    "Mailer",
    "NoMailer",
    "Sent",
    "SmtpMailer",
    "SmtpSettings",
    "Translator",
    "confine",
    "mailer_for",
    "plain_name",
    "write_out",
]
