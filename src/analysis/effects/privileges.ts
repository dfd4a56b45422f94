/** GRANT and REVOKE of privileges on objects, and of role memberships. */
import type { GrantRoleStmt, GrantStmt, Node, RangeVar } from "libpg-query";
import { dottedName, nodeBody, relationName } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import type { PrivilegeChange, StatementEffects } from "../model.js";
import { addLock, emptyEffects, objectWords } from "./base.js";

/** Object kinds of GRANT / REVOKE whose objects are relations (named by a RangeVar). */
const RELATION_KINDS = new Set(["OBJECT_TABLE", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE"]);

function grantees(roles: Node[] | undefined): string[] {
  return (roles ?? []).map((node) => {
    const role = nodeBody<{ roletype?: string; rolename?: string }>(node, "RoleSpec");
    if (role?.roletype === "ROLESPEC_PUBLIC") return "PUBLIC";
    return role?.rolename ?? (role?.roletype ?? "").replace("ROLESPEC_", "").toLowerCase();
  });
}

function objectName(node: Node): string {
  const rv = nodeBody<RangeVar>(node, "RangeVar");
  if (rv) return relationName(rv);
  const withArgs = nodeBody<{ objname?: Node[] }>(node, "ObjectWithArgs");
  if (withArgs) return dottedName(withArgs.objname);
  return nodeBody<{ sval?: string }>(node, "String")?.sval ?? "";
}

/**
 * GRANT / REVOKE ... ON objects. Postgres 18 takes ACCESS SHARE on each table named (seen in pg_locks);
 * Postgres 14 takes no lock on it at all (15 to 17 are not checked here and are modelled as 14). Neither
 * blocks traffic. A REVOKE takes away what running code may rely on: a contract change, unless every
 * object it names was created by this migration (no running code uses them yet).
 */
export function describeGrant(stmt: GrantStmt, ctx: SchemaContext): StatementEffects {
  const revoke = stmt.is_grant !== true;
  const type = stmt.objtype ?? "";
  const inSchema = stmt.targtype === "ACL_TARGET_ALL_IN_SCHEMA";
  const objects = (stmt.objects ?? []).map(objectName);
  const relations = !inSchema && RELATION_KINDS.has(type);
  const effects = emptyEffects(
    "GrantStmt",
    revoke ? "REVOKE" : "GRANT",
    relations ? (objects[0] ?? null) : null,
  );
  if (relations && ctx.pgVersion >= 18) for (const o of objects) addLock(effects, ctx, o, "AccessShareLock");
  const existing = inSchema
    ? objects
    : objects.filter((o) => (relations ? ctx.isExisting(o) : ctx.isExistingObject(type, o)));
  const privileges = (stmt.privileges ?? []).map(
    (p) => nodeBody<{ priv_name?: string }>(p, "AccessPriv")?.priv_name?.toUpperCase() ?? "",
  );
  const change: PrivilegeChange = {
    revoke,
    objectKind: `${inSchema ? "all " : ""}${objectWords(type)}${inSchema ? "s in schema" : ""}`,
    objects,
    existing,
    privileges: privileges.length > 0 ? privileges : ["ALL"],
    grantees: grantees(stmt.grantees),
  };
  effects.privilegeChange = change;
  effects.compat = revoke ? (existing.length > 0 ? "contract" : "neutral") : "additive";
  return effects;
}

/** GRANT / REVOKE role FROM role: revoking a membership takes away every privilege it carried. */
export function describeGrantRole(stmt: GrantRoleStmt): StatementEffects {
  const revoke = stmt.is_grant !== true;
  const effects = emptyEffects("GrantRoleStmt", revoke ? "REVOKE role" : "GRANT role");
  const roles = (stmt.granted_roles ?? []).map(
    (p) => nodeBody<{ priv_name?: string }>(p, "AccessPriv")?.priv_name ?? "",
  );
  effects.privilegeChange = {
    revoke,
    objectKind: "role",
    objects: roles,
    existing: roles,
    privileges: ["membership"],
    grantees: grantees(stmt.grantee_roles),
  };
  effects.compat = revoke ? "contract" : "additive";
  return effects;
}
