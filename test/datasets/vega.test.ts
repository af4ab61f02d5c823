import { describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { Table, parseDelimited, tableFromDelimited } from "../../lib/datasets/vega.js";

const { vega } = keras.datasets;

describe("keras.datasets.vega (the vega-datasets npm package)", () => {
  it("lists the tabular datasets", () => {
    const names = vega.names();
    for (const n of ["cars", "penguins", "seattle-weather", "stocks", "iowa-electricity"]) expect(names).toContain(n);
  });

  it("loads seattle-weather from CSV with typed columns", async () => {
    const t = vega.load("seattle-weather");
    expect(t).toBeInstanceOf(Table);
    expect(t.name).toBe("seattle-weather");
    expect(t.columns).toEqual(["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]);
    expect(t.shape).toEqual([1461, 6]);
    expect(t.row(0)).toEqual({ date: "2012-01-01", precipitation: 0, temp_max: 12.8, temp_min: 5, wind: 4.7, weather: "drizzle" });
    const x = t.toTensor(["temp_max", "temp_min"]);
    expect(x.shape).toEqual([1461, 2]);
    expect(x.dtype).toBe("float32");
    const v = await x.data();
    expect(v[0]).toBeCloseTo(12.8, 5);
    expect(v[3]).toBeCloseTo(2.8, 5);
    x.dispose();
    const one = t.toTensor("wind");
    expect(one.shape).toEqual([1461]);
    one.dispose();
    const all = t.toTensor();
    expect(all.shape).toEqual([1461, 4]); // the numeric columns
    all.dispose();
    const cats = t.categories("weather");
    expect(cats.values).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    expect(cats.codes.slice(0, 2)).toEqual([0, 2]);
    expect(() => t.toTensor(["weather"])).toThrow(/Column 'weather' of seattle-weather is not numeric.*categories\("weather"\)/);
    expect(() => t.column("nope")).toThrow(/has no column 'nope'/);
    expect(vega.load("seattle_weather").numRows).toBe(1461);
  });

  it("loads JSON records (cars, penguins) and drops missing values", () => {
    const cars = vega.load("cars");
    expect(cars.columns).toContain("Miles_per_Gallon");
    expect(cars.numRows).toBe(406);
    const clean = cars.dropNa(["Miles_per_Gallon", "Horsepower"]);
    expect(clean.numRows).toBeLessThan(406);
    expect(clean.numbers("Horsepower").every(Number.isFinite)).toBe(true);
    const penguins = vega.load("penguins.json").dropNa();
    expect(penguins.numRows).toBeGreaterThan(300);
    expect(penguins.categories("Species").values).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    const x = penguins.toTensor(["Beak Length (mm)", "Body Mass (g)"]);
    expect(x.shape).toEqual([penguins.numRows, 2]);
    x.dispose();
  });

  it("loads stocks with dates as strings, and filters/selects/heads", () => {
    const stocks = vega.load("stocks");
    expect(stocks.columns).toEqual(["symbol", "date", "price"]);
    const msft = stocks.filter((r) => r.symbol === "MSFT").select(["date", "price"]);
    expect(msft.columns).toEqual(["date", "price"]);
    expect(msft.row(0)).toEqual({ date: "Jan 1 2000", price: 39.81 });
    expect(msft.head(3).numRows).toBe(3);
    expect(msft.toRecords().length).toBe(msft.numRows);
  });

  it("displays as an HTML table in a notebook and as text elsewhere", () => {
    const t = vega.load("seattle-weather").head(3);
    const bundle = (t as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!.call(t);
    expect(bundle["text/html"]).toContain("<th>temp_max</th>");
    expect(bundle["text/plain"]).toContain("seattle-weather: 3 rows × 6 columns");
  });

  it("names the available sets when a name is unknown, and refuses non-tables", () => {
    expect(() => vega.load("no-such-set")).toThrow(/no tabular dataset 'no-such-set'. Available: .*cars/);
    expect(() => vega.load("us-10m")).toThrow(/not a table/);
  });

  it("parses quoted CSV fields", () => {
    expect(parseDelimited('a,b\n"x, y","say ""hi"""\r\n1,\n')).toEqual([["a", "b"], ["x, y", 'say "hi"'], ["1", ""]]);
    const t = tableFromDelimited("t", "n\tflag\n1.5e2\ttrue\n\tfalse\n", "\t");
    expect(t.column("n")).toEqual([150, null]);
    expect(t.column("flag")).toEqual([true, false]);
  });
});
