import type { Rule } from "../rule.js";
import addColumnRequired from "./add-column-required.js";
import addColumnRewrite from "./add-column-rewrite.js";
import attachPartitionScan from "./attach-partition-scan.js";
import columnTypeChange from "./column-type-change.js";
import concurrentlyInTransaction from "./concurrently-in-transaction.js";
import constraintMissingNotValid from "./constraint-missing-not-valid.js";
import contractInExpand from "./contract-in-expand.js";
import createIndexNonConcurrent from "./create-index-non-concurrent.js";
import detachPartitionNonConcurrent from "./detach-partition-non-concurrent.js";
import dropColumn from "./drop-column.js";
import dropFunction from "./drop-function.js";
import dropIndexNonConcurrent from "./drop-index-non-concurrent.js";
import dropTable from "./drop-table.js";
import dynamicSql from "./dynamic-sql.js";
import enableRlsWithoutPolicy from "./enable-rls-without-policy.js";
import enumValueInTransaction from "./enum-value-in-transaction.js";
import exclusionConstraint from "./exclusion-constraint.js";
import failsOnPostgres from "./fails-on-postgres.js";
import identifierTooLong from "./identifier-too-long.js";
import inheritanceChange from "./inheritance-change.js";
import lockTable from "./lock-table.js";
import missingLockTimeout from "./missing-lock-timeout.js";
import notModelled from "./not-modelled.js";
import preferBigint from "./prefer-bigint.js";
import preferIdentity from "./prefer-identity.js";
import preferText from "./prefer-text.js";
import preferTimestamptz from "./prefer-timestamptz.js";
import refreshMatviewBlocking from "./refresh-matview-blocking.js";
import reindexNonConcurrent from "./reindex-non-concurrent.js";
import renameColumn from "./rename-column.js";
import renameEnumValue from "./rename-enum-value.js";
import renameTable from "./rename-table.js";
import replicaIdentityFull from "./replica-identity-full.js";
import revokePrivilege from "./revoke-privilege.js";
import setNotNullFullScan from "./set-not-null-full-scan.js";
import strongLockHeld from "./strong-lock-held.js";
import syntaxError from "./syntax-error.js";
import tableRewriteMaintenance from "./table-rewrite-maintenance.js";
import transactionNesting from "./transaction-nesting.js";
import triggerOnExistingTable from "./trigger-on-existing-table.js";
import truncate from "./truncate.js";
import unbatchedDataChange from "./unbatched-data-change.js";
import uniqueConstraintWithoutIndex from "./unique-constraint-without-index.js";
import unusedIgnore from "./unused-ignore.js";
import validateInSameTransaction from "./validate-in-same-transaction.js";

/** The rule catalogue, in documentation order. */
export const RULES = [
  createIndexNonConcurrent,
  dropIndexNonConcurrent,
  reindexNonConcurrent,
  concurrentlyInTransaction,
  constraintMissingNotValid,
  validateInSameTransaction,
  setNotNullFullScan,
  addColumnRewrite,
  addColumnRequired,
  columnTypeChange,
  uniqueConstraintWithoutIndex,
  exclusionConstraint,
  lockTable,
  tableRewriteMaintenance,
  refreshMatviewBlocking,
  unbatchedDataChange,
  strongLockHeld,
  attachPartitionScan,
  detachPartitionNonConcurrent,
  triggerOnExistingTable,
  enumValueInTransaction,
  dropColumn,
  dropTable,
  dropFunction,
  renameColumn,
  renameTable,
  renameEnumValue,
  truncate,
  enableRlsWithoutPolicy,
  revokePrivilege,
  inheritanceChange,
  missingLockTimeout,
  transactionNesting,
  preferBigint,
  preferIdentity,
  preferTimestamptz,
  preferText,
  replicaIdentityFull,
  identifierTooLong,
  contractInExpand,
  syntaxError,
  failsOnPostgres,
  dynamicSql,
  notModelled,
  unusedIgnore,
] as const satisfies readonly Rule[];

/** The id of a rule of the catalogue. */
export type RuleId = (typeof RULES)[number]["id"];

const BY_ID = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
