// Generates schemas/node-model.schema.json (JSON Schema 2020-12) from the
// TypeScript types of the NodeModel (src/model/types.ts and what it imports),
// with the TypeScript compiler API that the build already has: no second
// description of the model to keep in step, no extra dependency, no network.
// Used by `npm run build` and by the test that fails when the committed
// schema is stale.
//
// Why not ts-json-schema-generator: it is well kept, but it would be one more
// dependency tree pinned to its own TypeScript, for what is ~200 lines over
// the checker this project already pins (~5.9).
import ts from 'typescript';

/** Where the generated schema lives, and its identity. */
export const MODEL_SCHEMA_PATH = 'schemas/node-model.schema.json';
export const MODEL_SCHEMA_ID = 'https://kube-preflight.invalid/schemas/node-model.schema.json';

/** A JSON Schema node as this generator writes it. */
export type SchemaNode = Record<string, unknown>;

const PRIMITIVES = ts.TypeFlags.String | ts.TypeFlags.Number | ts.TypeFlags.Boolean | ts.TypeFlags.Null;

function docOf(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): string | undefined {
  if (!symbol) return undefined;
  const text = ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return text === '' ? undefined : text;
}

/** Whether a symbol is declared in the directory of the model's types (src/model/), not in a library. */
type InModel = (symbol: ts.Symbol) => boolean;

/** A named, non-generic interface or type alias of the model's directory: it becomes a $defs entry. */
function definitionName(type: ts.Type, inModel: InModel): string | undefined {
  const alias = type.aliasSymbol;
  if (alias && !type.aliasTypeArguments?.length && inModel(alias)) return alias.name;
  const symbol = type.getSymbol();
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Interface) || !inModel(symbol)) return undefined;
  if ((type as ts.TypeReference).typeArguments?.length) return undefined;
  return symbol.name;
}

function literalValue(type: ts.Type): unknown {
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
  return (type as unknown as { intrinsicName: string }).intrinsicName === 'true';
}

const isLiteral = (t: ts.Type): boolean => (t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral)) !== 0;

class Generator {
  readonly defs = new Map<string, SchemaNode>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly inModel: InModel,
  ) {}

  schemaOf(type: ts.Type): SchemaNode {
    const name = definitionName(type, this.inModel);
    if (name === undefined) return this.inline(type);
    if (!this.defs.has(name)) {
      this.defs.set(name, {});
      const body = this.inline(type);
      const doc = docOf(type.aliasSymbol ?? type.getSymbol(), this.checker);
      this.defs.set(name, doc ? { description: doc, ...body } : body);
    }
    return { $ref: `#/$defs/${name}` };
  }

  inline(type: ts.Type): SchemaNode {
    const { checker } = this;
    if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return {};
    if (type.isUnion()) return this.union(type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined)));
    if (isLiteral(type)) return { const: literalValue(type) };
    if (type.flags & ts.TypeFlags.String) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
    if (checker.isArrayType(type)) return { type: 'array', items: this.schemaOf(checker.getTypeArguments(type as ts.TypeReference)[0]!) };
    if (type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return this.object(type);
    throw new Error(`the node model uses a type this generator does not map: ${checker.typeToString(type)}`);
  }

  private union(members: ts.Type[]): SchemaNode {
    // boolean is the union true | false; optional properties add undefined.
    const bool = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral).length === 2;
    const rest = bool ? members.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral)) : members;
    if (bool && rest.length === 0) return { type: 'boolean' };
    if (!bool && rest.length === 1) return this.schemaOf(rest[0]!);
    if (!bool && rest.every((t) => isLiteral(t) || t.flags & ts.TypeFlags.Null)) {
      return { enum: rest.map((t) => (t.flags & ts.TypeFlags.Null ? null : literalValue(t))) };
    }
    if (rest.every((t) => t.flags & PRIMITIVES)) return { type: [...(bool ? ['boolean'] : []), ...rest.map((t) => (this.inline(t) as { type: string }).type)] };
    return { anyOf: [...(bool ? [{ type: 'boolean' }] : []), ...rest.map((t) => this.schemaOf(t))] };
  }

  private object(type: ts.Type): SchemaNode {
    const { checker } = this;
    const properties: Record<string, SchemaNode> = {};
    const required: string[] = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      const declaration = prop.valueDeclaration ?? prop.declarations?.[0];
      const propType = checker.getTypeOfSymbolAtLocation(prop, declaration!);
      const schema = this.schemaOf(propType);
      const doc = docOf(prop, checker);
      properties[prop.name] = doc ? { description: doc, ...schema } : schema;
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
    }
    const index = checker.getIndexInfosOfType(type).find((i) => i.keyType.flags & ts.TypeFlags.String);
    const out: SchemaNode = { type: 'object' };
    if (Object.keys(properties).length > 0) out.properties = properties;
    if (required.length > 0) out.required = required;
    if (index) {
      const values = this.schemaOf(index.type);
      // Record<string, unknown>: any keys, any values.
      if (Object.keys(values).length > 0) out.additionalProperties = values;
    } else out.additionalProperties = false;
    return out;
  }
}

/**
 * The NodeModel's JSON Schema, generated from `typesFile` (src/model/types.ts).
 * Interfaces and type aliases of src/model/ become `$defs`; generic types
 * (`Sourced<T>`, `Record<K, V>`) are written out where they are used; TSDoc
 * comments become descriptions. Objects allow no other keys, so a value the
 * builder writes but the types do not declare fails validation.
 */
export function generateModelSchema(typesFile = 'src/model/types.ts', tsconfig = 'tsconfig.json'): SchemaNode {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  // The model's types use nothing from @types/node; leaving them out halves the time.
  const program = ts.createProgram([typesFile], { ...config.options, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(typesFile)!;
  const root = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === 'NodeModel')!;
  const dir = ts.sys.resolvePath(typesFile).replace(/[^\\/]+$/, '');
  const generator = new Generator(checker, (symbol) => (symbol.declarations ?? []).some((d) => ts.sys.resolvePath(d.getSourceFile().fileName).startsWith(dir)));
  const body = generator.inline(checker.getDeclaredTypeOfSymbol(root));
  const defs = Object.fromEntries([...generator.defs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: MODEL_SCHEMA_ID,
    title: 'kube-preflight node model',
    description: `${docOf(root, checker)} Generated from src/model/types.ts by scripts/model-schema.ts (npm run build); custom rules of a checklist target paths of it.`,
    ...body,
    $defs: defs,
  };
}

/** The schema as the committed file holds it. */
export function modelSchemaText(schema: SchemaNode = generateModelSchema()): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** src/generated/node-model-schema.ts: the schema as a module, for loading custom rules without reading a file. */
export function modelSchemaModule(schema: SchemaNode = generateModelSchema()): string {
  return [
    '// Generated by scripts/build-validators.ts from src/model/types.ts; do not edit. Run `npm run build`; a test fails when this file is stale.',
    '',
    '/** schemas/node-model.schema.json: the NodeModel as JSON Schema 2020-12. */',
    `export const nodeModelSchema: Record<string, unknown> = ${JSON.stringify(schema)};`,
    '',
  ].join('\n');
}
