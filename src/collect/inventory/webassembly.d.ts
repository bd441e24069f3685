/**
 * The part of the WebAssembly JS API the CSV scanner uses. Node has it built in; TypeScript declares
 * it only in its DOM libraries, which this project does not load.
 */
declare namespace WebAssembly {
  // A compiled module is opaque: it has no members of its own to declare.
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, never>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
