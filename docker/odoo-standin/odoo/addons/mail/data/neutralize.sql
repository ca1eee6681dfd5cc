-- catch every outgoing mail: a fake active server that cannot deliver
INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, sequence, active)
VALUES ('neutralization - disable emails', 'invalid', 9999, 'none', 0, true);
