-- Odoo master password (admin_passwd) of a serving build, encrypted.
ALTER TABLE "Build" ADD COLUMN "masterPasswordEnc" TEXT;
