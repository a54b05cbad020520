"""Adapters behind the ports the application object carries: files, mail, time (wired in flows.bootstrap)."""

from flows.adapters.files import DocumentSink, FolderSink, confine, plain_name, write_out
from flows.adapters.mail import Mail, Mailer, NoMailer, Sent, SmtpMailer, SmtpSettings, mailer_for

__all__ = [
    "DocumentSink",
    "FolderSink",
    "Mail",
    "Mailer",
    "NoMailer",
    "Sent",
    "SmtpMailer",
    "SmtpSettings",
    "confine",
    "mailer_for",
    "plain_name",
    "write_out",
]
