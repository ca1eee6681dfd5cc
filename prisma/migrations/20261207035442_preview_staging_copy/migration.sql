-- AlterEnum
ALTER TYPE "PreviewMode" ADD VALUE 'STAGING_COPY';

