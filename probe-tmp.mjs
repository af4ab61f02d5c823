const realSetImmediate = globalThis.setImmediate;
const pending = new Set();
globalThis.setImmediate = function (fn, ...args) {
  if (typeof fn === 'function' && args.length === 0 && Function.prototype.toString.call(fn).includes('[native code]')) {
    pending.add(fn);
    return realSetImmediate(() => { if (pending.delete(fn)) fn(); });
  }
  return realSetImmediate(fn, ...args);
};
const { create, globals } = await import('webgpu');
Object.assign(globalThis, globals);
const gpu = create([]);
const a = await gpu.requestAdapter();
const d = await a.requestDevice();
const src = d.createBuffer({size: 16, usage: GPUBufferUsage.COPY_SRC|GPUBufferUsage.COPY_DST|GPUBufferUsage.STORAGE});
d.queue.writeBuffer(src, 0, new Float32Array([1,2,3,4]));
for (let rep=0; rep<3; rep++) {
const b = d.createBuffer({size: 16, usage: GPUBufferUsage.MAP_READ|GPUBufferUsage.COPY_DST});
const enc = d.createCommandEncoder(); enc.copyBufferToBuffer(src,0,b,0,16); d.queue.submit([enc.finish()]);
const p = b.mapAsync(GPUMapMode.READ); p.catch(()=>{});
const t0 = performance.now(); let n=0;
while (b.mapState === 'pending' && performance.now()-t0 < 2000) { n++; const fns=[...pending]; pending.clear(); for (const f of fns) f(); }
console.log('after spin', b.mapState, n, (performance.now()-t0).toFixed(2), 'ms', 'pending ticks', pending.size);
try { console.log(new Float32Array(b.getMappedRange().slice(0))); b.unmap(); } catch (e) { console.log('getMappedRange err', e.message); }
}
