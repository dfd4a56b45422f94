import { describe, expect, it } from "vitest";
import { redact } from "./redact.js";

describe("redact", () => {
  it("hides the password of a connection URL", () => {
    expect(redact("postgres://user:pass@host/db")).toBe("postgres://user:***@host/db");
    expect(redact("postgresql://app:s3cr%40t@db.internal:5432/app?sslmode=require")).toBe(
      "postgresql://app:***@db.internal:5432/app?sslmode=require",
    );
  });

  it("finds URLs inside messages, several at a time", () => {
    expect(redact("cannot connect to postgres://a:x@h1/d (then postgres://b:y@h2/d)")).toBe(
      "cannot connect to postgres://a:***@h1/d (then postgres://b:***@h2/d)",
    );
  });

  it("leaves URLs without a password alone", () => {
    for (const text of ["postgres://user@host/db", "postgres://host/db", "https://example.com/a:b"]) {
      expect(redact(text)).toBe(text);
    }
  });

  it("hides password parameters and keyword connection strings", () => {
    expect(redact("postgres://host/db?user=a&password=secret&x=1")).toBe(
      "postgres://host/db?user=a&password=***&x=1",
    );
    expect(redact("host=db user=app password=secret dbname=x")).toBe(
      "host=db user=app password=*** dbname=x",
    );
    expect(redact("password='se cret' host=db")).toBe("password=*** host=db");
  });
});
