/** `tskeras repl`: placeholder replaced below. */
export async function runRepl(_o: { typeCheck?: boolean }): Promise<number> { return 1; }
