"""The portal's words in English and Spanish: the user's choice (a cookie), else the browser's Accept-Language."""

from __future__ import annotations

LANGUAGES = ("en", "es")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "accord: the delegations' portal",
        "sign_in": "Sign in", "sign_out": "Sign out", "email": "E-mail address", "password": "Password",
        "sign_in_failed": "Wrong address or password, or too many attempts: wait 15 minutes and try again.",
        "invitation": "Accept your invitation", "invitation_for": "Choose a password for {email}.",
        "password_rule": "At least 12 characters; common passwords are refused.",
        "password_again": "The password again", "passwords_differ": "The two passwords differ.",
        "set_password": "Set my password", "invitation_gone": "This invitation is unknown, used or expired: ask "
                                                              "the secretariat for a new one.",
        "accepted": "Your password is set: sign in now.",
        "declarations": "Your declarations", "none": "You act in no declaration yet.",
        "acting_for": "You act for {party}.", "round": "Round {number} on {version}: {state}",
        "no_round": "No round yet.", "deadline": "Deadline", "time_left": "Time left",
        "your_zone": "Your time zone", "show": "Show", "no_deadline": "No deadline",
        "your_copy": "Your stamped copy", "download": "Download {name}",
        "upload": "Upload your Word file (.docx, with Track Changes)", "send": "Send",
        "receipt": "Receipt", "received": "accord received submission {number} of round {round}.",
        "amendments": "Amendments accord read from it", "warnings": "Warnings", "none_found": "None.",
        "deleted": "deletes", "inserted": "inserts",
        "submissions": "Your earlier submissions", "current": "current", "superseded": "superseded",
        "late": "late", "refused": "Refused", "forbidden": "You may not do this.", "back": "Back",
        "closed_round": "No round is open: files are received while a round is open.",
        "code": "Code from your authenticator app (secretariat and co-presidencies)",
        "totp_intro": "Your role signs in with a second factor. Add this key to an authenticator app (for example "
                      "FreeOTP, Aegis or Google Authenticator), then type the 6-digit code it shows.",
        "totp_key": "Key", "totp_code": "The 6-digit code",
        "language": "Español", "expired": "Your session ended: sign in again.",
        "days": "{n} d", "hours": "{n} h", "minutes": "{n} min", "passed": "passed",
        "synopsis": "Synopsis and decisions",
        "not_compiled": "No round is compiled yet: the secretariat closes the round first.",
        "amendments_count": "amendments", "conflicts_count": "conflict groups",
        "in_word": "Decide in Word", "compilation_download": "Download the compilation (.docx)",
        "returned_word": "The compilation returned, its changes accepted or rejected", "decide_here": "Decide here",
        "paragraph": "Paragraph", "amendment": "Amendment", "your_decision": "Your decision",
        "accept": "accept", "reject": "reject", "undecided": "undecided", "conflict_over": "Conflict over",
        "keep": "keep", "keep_base": "keep the base text", "send_decisions": "Send the decisions",
        "approved_by": "Approved by", "approve": "Approve {version}",
        "redline_from": "From", "redline_to": "to", "redline": "Redline",
        "silence_state": "Silence procedure {number} on {version}: {state} until {until}",
        "objection_reason": "Why your delegation objects (it goes into the record)", "object": "Object",
        "dashboard": "Secretariat", "audit": "Audit", "brackets": "Bracketed paragraphs",
        "translation": "Translation", "translation_of": "{version} ({state}): paragraphs pending translation",
        "into": "Into {language}", "from_source": "Source text ({language})",
        "nothing_pending": "No paragraph is pending translation into this language.",
        "upload_translation": "The translated Word file ({language}, .docx): only the pending paragraphs may differ",
        "translated": "{version} in {language}: paragraph(s) {aligned} aligned.",
        "all_aligned": "Every language is aligned.",
        "submitted": "Submitted", "not_submitted": "Not submitted", "decisions_pending": "Decisions pending from",
        "actions": "Actions", "send_reminders": "Send reminders", "close_round": "Close the round and compile",
        "open_round": "Open a round", "silence_until": "Silence until", "start_silence": "Start a silence procedure",
        "agree": "Mark agreed", "archive": "Archive (seal)", "verify": "Verification",
        "verified": "The records verify: {events} events, {blobs} files, head {head}.",
        "history": "History", "blame": "Where each word comes from (blame)", "bundle": "The archive bundle (.zip)",
        "not_sealed": "Not sealed yet: no archive bundle.",
        "new_deadline": "New deadline", "extend_deadline": "Extend the deadline",
        "reset": "Reset your password", "forgot": "Forgot your password?",
        "reset_intro": "accord mails you a one-time code to choose a new password.",
        "reset_send": "Send me a code", "reset_code": "The code from the e-mail",
        "reset_sent": "If {email} has an account, a code is on its way (valid 30 minutes).",
        "reset_done": "Your new password is set: sign in now.",
        "delegates": "Your delegation's delegates", "add_delegate": "Invite a delegate", "disable": "Disable",
        "disabled": "disabled", "active": "active", "invited": "invited, no password yet",
        "invitation_link": "The invitation link (works once, 72 hours):",
    },
    "es": {
        "title": "accord: el portal de las delegaciones",
        "sign_in": "Iniciar sesión", "sign_out": "Cerrar sesión", "email": "Correo electrónico",
        "password": "Contraseña",
        "sign_in_failed": "Correo o contraseña incorrectos, o demasiados intentos: espere 15 minutos y vuelva a "
                          "intentarlo.",
        "invitation": "Acepte su invitación", "invitation_for": "Elija una contraseña para {email}.",
        "password_rule": "Al menos 12 caracteres; se rechazan las contraseñas comunes.",
        "password_again": "La contraseña otra vez", "passwords_differ": "Las dos contraseñas no coinciden.",
        "set_password": "Fijar mi contraseña", "invitation_gone": "Esta invitación es desconocida, ya se usó o "
                                                                 "caducó: pida otra a la secretaría.",
        "accepted": "Su contraseña está fijada: inicie sesión.",
        "declarations": "Sus declaraciones", "none": "Todavía no actúa en ninguna declaración.",
        "acting_for": "Actúa en nombre de {party}.", "round": "Ronda {number} sobre {version}: {state}",
        "no_round": "Todavía no hay ronda.", "deadline": "Plazo", "time_left": "Tiempo restante",
        "your_zone": "Su huso horario", "show": "Mostrar", "no_deadline": "Sin plazo",
        "your_copy": "Su copia sellada", "download": "Descargar {name}",
        "upload": "Suba su archivo Word (.docx, con control de cambios)", "send": "Enviar",
        "receipt": "Acuse de recibo", "received": "accord recibió la contribución {number} de la ronda {round}.",
        "amendments": "Enmiendas que accord leyó", "warnings": "Advertencias", "none_found": "Ninguna.",
        "deleted": "suprime", "inserted": "inserta",
        "submissions": "Sus contribuciones anteriores", "current": "vigente", "superseded": "reemplazada",
        "late": "fuera de plazo", "refused": "Rechazado", "forbidden": "No puede hacer esto.", "back": "Volver",
        "closed_round": "No hay ninguna ronda abierta: los archivos se reciben mientras una ronda está abierta.",
        "code": "Código de su aplicación de autenticación (secretaría y copresidencias)",
        "totp_intro": "Su función inicia sesión con un segundo factor. Añada esta clave a una aplicación de "
                      "autenticación (por ejemplo FreeOTP, Aegis o Google Authenticator) y escriba el código de 6 "
                      "cifras que muestra.",
        "totp_key": "Clave", "totp_code": "El código de 6 cifras",
        "language": "English", "expired": "Su sesión terminó: inicie sesión de nuevo.",
        "days": "{n} d", "hours": "{n} h", "minutes": "{n} min", "passed": "vencido",
        "synopsis": "Sinopsis y decisiones", "not_compiled": "Todavía no hay ninguna ronda compilada: la secretaría "
                                                            "cierra primero la ronda.",
        "amendments_count": "enmiendas", "conflicts_count": "grupos en conflicto",
        "in_word": "Decidir en Word", "compilation_download": "Descargar la compilación (.docx)",
        "returned_word": "La compilación devuelta, con sus cambios aceptados o rechazados",
        "decide_here": "Decidir aquí", "paragraph": "Párrafo", "amendment": "Enmienda",
        "your_decision": "Su decisión", "accept": "aceptar", "reject": "rechazar", "undecided": "sin decidir",
        "conflict_over": "Conflicto sobre", "keep": "conservar", "keep_base": "conservar el texto base",
        "send_decisions": "Enviar las decisiones", "approved_by": "Aprobada por", "approve": "Aprobar {version}",
        "redline_from": "De", "redline_to": "a", "redline": "Comparar",
        "silence_state": "Procedimiento de silencio {number} sobre {version}: {state} hasta {until}",
        "objection_reason": "Por qué objeta su delegación (consta en el registro)", "object": "Objetar",
        "dashboard": "Secretaría", "audit": "Auditoría", "brackets": "Párrafos entre corchetes",
        "translation": "Traducción", "translation_of": "{version} ({state}): párrafos pendientes de traducción",
        "into": "Al {language}", "from_source": "Texto de origen ({language})",
        "nothing_pending": "Ningún párrafo está pendiente de traducción a esta lengua.",
        "upload_translation": "El archivo Word traducido ({language}, .docx): solo pueden cambiar los párrafos pendientes",
        "translated": "{version} en {language}: párrafo(s) {aligned} alineado(s).",
        "all_aligned": "Todas las lenguas están alineadas.",
        "submitted": "Han enviado", "not_submitted": "No han enviado", "decisions_pending": "Decisiones pendientes de",
        "actions": "Acciones", "send_reminders": "Enviar recordatorios", "close_round": "Cerrar la ronda y compilar",
        "open_round": "Abrir una ronda", "silence_until": "Silencio hasta",
        "start_silence": "Iniciar un procedimiento de silencio", "agree": "Marcar como acordado",
        "archive": "Archivar (sellar)", "verify": "Verificación",
        "verified": "Los registros se verifican: {events} eventos, {blobs} archivos, cabeza {head}.",
        "history": "Historia", "blame": "De dónde viene cada palabra", "bundle": "El paquete de archivo (.zip)",
        "not_sealed": "Todavía sin sellar: no hay paquete de archivo.",
        "new_deadline": "Nuevo plazo", "extend_deadline": "Prorrogar el plazo",
        "reset": "Restablecer su contraseña", "forgot": "¿Olvidó su contraseña?",
        "reset_intro": "accord le envía por correo un código de un solo uso para elegir una contraseña nueva.",
        "reset_send": "Enviarme un código", "reset_code": "El código del correo",
        "reset_sent": "Si {email} tiene una cuenta, el código está en camino (válido 30 minutos).",
        "reset_done": "Su nueva contraseña está fijada: inicie sesión.",
        "delegates": "Los delegados de su delegación", "add_delegate": "Invitar a un delegado",
        "disable": "Desactivar", "disabled": "desactivada", "active": "activa",
        "invited": "invitada, todavía sin contraseña",
        "invitation_link": "El enlace de invitación (sirve una vez, 72 horas):",
    },
}


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The user's language: the cookie if it names one we have, else the browser's best match, else English."""
    if cookie in LANGUAGES:
        return str(cookie)
    ranked = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, tag.strip().lower().split("-")[0]))
    return next((lang for _, _, lang in sorted(ranked) if lang in LANGUAGES), "en")


def words(lang: str) -> dict[str, str]:
    """The messages of a language."""
    return MESSAGES[lang if lang in LANGUAGES else "en"]
