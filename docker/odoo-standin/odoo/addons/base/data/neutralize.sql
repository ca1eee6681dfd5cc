-- deactivate all crons and outgoing mail servers
UPDATE ir_cron SET active = false;
UPDATE ir_mail_server SET active = false;
