import { z } from 'zod';
import { positiveInt } from './numbers.js';

/**
 * The guard's config: input checks against injection, output filtering (redaction and leak
 * detection), and tool authorization policies.
 */

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1-64 letters, digits, _ . : -');

/**
 * What happens to text the injection check flags: `block` refuses it with a clear message (a
 * user message: 400; a tool result: an error result in its place), `flag` lets it through and
 * records the verdict, `fence` passes it to the model marked as data, not instructions; `off`
 * skips the check.
 */
const inputAction = z.enum(['block', 'flag', 'fence', 'off']);

const externalClassifierSchema = z.strictObject({
  /** URL that takes `POST {"text", "source"}` and answers `{"score"}` in 0..1. */
  url: z.url({ protocol: /^https?$/ }),
  /** Extra headers, e.g. an authorization header. Default none. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Longest wait for an answer. Default 500 ms. */
  timeoutMs: positiveInt.default(500),
  /** Score at or above which the text counts as an attack. Default 0.5. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** When it fails or times out: `allow` (default) goes on with the local checks alone. */
  onError: z.enum(['allow', 'block']).default('allow'),
});

const inputSchema = z
  .strictObject({
    /** Score at or above which text counts as an attack. Default: the classifier's tuned value. */
    threshold: z.number().min(0).max(1).optional(),
    /** Action for user messages. Default `block`. */
    user: inputAction.default('block'),
    /** Action for tool results before the model reads them. Default `fence`. */
    tool: inputAction.default('fence'),
    /** Action for retrieved memories before the model reads them. Default `fence`. */
    memory: inputAction.default('fence'),
    /** A classifier service asked besides the local checks. Default none. */
    external: externalClassifierSchema.optional(),
  })
  .prefault({});

export const SENSITIVE_TYPES = ['card', 'ssn', 'iban', 'email', 'phone', 'ip', 'secret'] as const;
const sensitiveType = z.enum(SENSITIVE_TYPES);

const outputSchema = z
  .strictObject({
    /** Redact sensitive values from answers, streaming and not. Default true. */
    redact: z.boolean().default(true),
    /** Types redacted from answer text. Default all. */
    types: z.array(sensitiveType).default([...SENSITIVE_TYPES]),
    /**
     * Types redacted from the arguments of tool calls streamed to the client. Default `secret`,
     * `card`, `ssn`, `iban`: contact details are what many client tools legitimately take.
     */
    toolArgumentTypes: z.array(sensitiveType).default(['secret', 'card', 'ssn', 'iban']),
    /**
     * Data classes each role may see, by role (`*` for every class). A permission
     * `clearance:<class>` grants one too. Values of a class a principal may not see are redacted
     * from its answers. Default: none.
     */
    clearances: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
  })
  .prefault({});

const leakSchema = z
  .strictObject({
    /** Put a canary in each system prompt and watch answers for it and for the prompt. Default true. */
    enabled: z.boolean().default(true),
    /** Overlap score (0..1) with the system prompt that counts as a leak. Default: the tuned value. */
    threshold: z.number().min(0).max(1).optional(),
    /** What the client sees in place of a leaking answer. */
    message: z.string().min(1).default("I can't share my instructions."),
    /**
     * Which system messages are the prompt to protect: `all` of them (every Anthropic `system`
     * block, every chat system message), or only the `first`, for clients that put reference
     * text an answer may quote in later ones. Default `all`.
     */
    systemMessages: z.enum(['all', 'first']).default('all'),
  })
  .prefault({});

export const guardSchema = z
  .strictObject({
    input: inputSchema,
    output: outputSchema,
    leak: leakSchema,
  })
  .prefault({});

const argumentRuleSchema = z.strictObject({
  /** The argument must equal this field of the principal. */
  equalsPrincipal: z.enum(['userId', 'keyId', 'role', 'tier']).optional(),
  /** The principal must hold the permission `<prefix>:<value>`. */
  inPermissions: z.string().min(1).optional(),
  /** The argument must be one of these values. */
  oneOf: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** A regular expression the argument must match; `{userId}` stands for the caller's id. */
  pattern: z.string().min(1).refine(validPattern, 'must be a valid regular expression').optional(),
  /** Name of a resolver registered in code. */
  resolver: z.string().min(1).optional(),
  /** Deny the call when the argument is absent. Default false. */
  required: z.boolean().default(false),
});

function validPattern(source: string): boolean {
  try {
    new RegExp(source.replaceAll('{userId}', 'x'), 'u');
    return true;
  } catch {
    return false;
  }
}

export const toolPolicySchema = z.strictObject({
  /** Roles that may call the tool; absent or `*`: every role. */
  roles: z.array(z.string().min(1)).optional(),
  /** Permissions the caller must all hold. Default none. */
  permissions: z.array(z.string().min(1)).default([]),
  /** Checks on arguments, by argument name (dotted for nested fields). Default none. */
  arguments: z.record(z.string().min(1), argumentRuleSchema).default({}),
  /** Calls per minute per user. Absent: no limit of its own. */
  rateLimit: z.strictObject({ perMinute: positiveInt }).optional(),
  /** The turn pauses until the user approves the call. Default false. */
  confirm: z.boolean().default(false),
  /** Name of a resolver registered in code that decides on the whole call. */
  resolver: z.string().min(1).optional(),
});

export const authorizationSchema = z
  .strictObject({
    /** What happens to a tool with no policy here or in its definition. Default `deny`. */
    unlisted: z.enum(['allow', 'deny']).default('deny'),
    /** Write allowed calls to the audit log too, not only denials and confirmations. Default true. */
    auditAllowed: z.boolean().default(true),
    /** Policies by tool name; they win over a policy a tool brings in code. Default none. */
    tools: z.record(name, toolPolicySchema).default({}),
  })
  .prefault({});

export type GuardConfig = z.output<typeof guardSchema>;
export type AuthorizationConfig = z.output<typeof authorizationSchema>;
export type ToolPolicyConfig = z.output<typeof toolPolicySchema>;
