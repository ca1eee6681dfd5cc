"""What the ORM does around writing some records: hashing user passwords, storing
attachments in the filestore, and sending mails."""

import base64
import hashlib
import logging
import mimetypes
import os

from ..tools import passwords
from ..tools.config import config
from ..service import mail


def prepare(ctx, model, values):
    values = dict(values)
    if model == "res.users" and values.get("password") and not str(values["password"]).startswith("$pbkdf2"):
        values["password"] = passwords.hash_password(values["password"])
    if model == "ir.attachment":
        values = store_attachment(ctx.dbname, values)
    return values


def after_create(ctx, model, res_id, values):
    """Nothing yet: a mail.mail record waits in the queue, as in Odoo, until its module's
    data calls `process_email_queue` (or Odoo's cron would, which the stand-in never runs)."""


def _process_email_queue(ctx):
    ctx.cr.execute("SELECT id FROM mail_mail WHERE state = 'outgoing' ORDER BY id")
    for (mail_id,) in ctx.cr.fetchall():
        mail.send_mail(ctx.cr, mail_id)


# `<function model name>` of XML data: the model methods the stand-in implements.
FUNCTIONS = {("mail.mail", "process_email_queue"): _process_email_queue}


def call_function(ctx, model, name):
    function = FUNCTIONS.get((model, name))
    if function is None:
        raise ValueError(f"<function model={model!r} name={name!r}>: the stand-in does not implement this method")
    function(ctx)


def store_attachment(dbname, values):
    """Moves `raw` (text) or `datas` (base64) into DATA_DIR/filestore/DB/xx/sha1, like
    ir.attachment's file storage, and fills checksum, store_fname and file_size."""
    raw = values.pop("raw", None)
    datas = values.pop("datas", None)
    if raw is None and datas is None:
        return values
    content = raw.encode() if isinstance(raw, str) else (raw or base64.b64decode(datas))
    checksum = hashlib.sha1(content).hexdigest()
    fname = f"{checksum[:2]}/{checksum}"
    full = os.path.join(config.filestore_root, dbname, fname)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if not os.path.exists(full):
        with open(full, "wb") as handle:
            handle.write(content)
    values.update(store_fname=fname, checksum=checksum, file_size=len(content), type="binary")
    values.setdefault("mimetype", mimetypes.guess_type(values.get("name") or "")[0] or "application/octet-stream")
    logging.getLogger("odoo.addons.base.models.ir_attachment").debug("stored %s", fname)
    return values
