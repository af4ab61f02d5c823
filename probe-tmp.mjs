const t0 = performance.now();
const { create, globals } = await import('webgpu');
const t1 = performance.now();
const gpu = create([]);
const a = await gpu.requestAdapter({powerPreference:'high-performance'});
const t2 = performance.now();
console.log('import', (t1-t0).toFixed(0), 'probe', (t2-t1).toFixed(0), a?.info?.description);
