// The Kubernetes schemas leave additionalProperties open, so a misspelt field (`readinesProbe`)
// validates and is silently dropped by the API server. TypeScript's excess-property check on an
// object literal typed with kubernetes-models' interfaces (generated from the same OpenAPI spec)
// catches it: each manifest object is compiled in memory as `const x: IKind = {…}`.
import { join } from 'node:path';
import ts from 'typescript';

/** kind → the kubernetes-models module and interface of that kind. */
export const modelTypes: Readonly<Record<string, { module: string; type: string }>> = {
  Deployment: { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  Service: { module: 'kubernetes-models/v1/Service', type: 'IService' },
};

/** TypeScript's complaints about `objects` (empty when every field is one the API knows). */
export function typeErrors(objects: readonly { kind: string; value: unknown }[]): string[] {
  const file = join(import.meta.dirname, '__manifests__.ts');
  const source = objects.map(({ kind, value }, index) => {
    const model = modelTypes[kind];
    if (!model) throw new Error(`no kubernetes-models type known for kind ${kind}`);
    return `import type { ${model.type} as T${index} } from '${model.module}';\nexport const o${index}: T${index} = ${JSON.stringify(value, null, 2)};`;
  }).join('\n');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}
