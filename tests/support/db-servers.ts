// Another database server on the development cluster: a copy of the registered "dev" server's
// connection under another name (and, when given, serving a pool of its own).
export async function copyOfDevServer(name: string, pool?: string): Promise<{ id: string }> {
  const { prisma } = await import("@gantry/db");
  const dev = await prisma().dbServer.findUniqueOrThrow({ where: { name: "dev" } });
  return prisma().dbServer.create({
    data: {
      name,
      host: dev.host,
      port: dev.port,
      adminUser: dev.adminUser,
      adminPasswordEnc: dev.adminPasswordEnc,
      ...(pool ? { pool } : {}),
    },
    select: { id: true },
  });
}
