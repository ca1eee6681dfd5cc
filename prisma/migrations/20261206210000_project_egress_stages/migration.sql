-- The stages whose build containers may reach beyond the host.
ALTER TABLE "Project" ADD COLUMN "egressStages" "Stage"[] NOT NULL DEFAULT ARRAY['PRODUCTION']::"Stage"[];
