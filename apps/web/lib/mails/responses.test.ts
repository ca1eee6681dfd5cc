import { describe, expect, it } from "vitest";
import { attachmentDisposition, download, sandboxedHtml } from "./responses";

describe("caught mail answers", () => {
  it("keeps a hostile file name out of the header's syntax", () => {
    const header = attachmentDisposition('re"port\r\nX-Evil: 1;.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toMatch(/^attachment; filename="re_port__X-Evil_ 1_.pdf"; filename\*=UTF-8''/);
    expect(attachmentDisposition("facture é.pdf")).toContain("filename*=UTF-8''facture%20%C3%A9.pdf");
  });

  it("serves downloads as attachments and HTML under a policy with no script and no remote load", () => {
    const file = download(new Uint8Array([1, 2]), "text/html", "x.html");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    const policy = sandboxedHtml("<p>hi</p>").headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("sandbox");
    expect(policy).not.toMatch(/script-src|https?:/);
  });
});
