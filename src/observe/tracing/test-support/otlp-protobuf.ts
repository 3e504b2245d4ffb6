/**
 * A reader of OTLP/protobuf `ExportTraceServiceRequest` bodies for the test collector, written
 * from the published .proto files (opentelemetry-proto, trace/v1 and common/v1): it turns the
 * binary form into the shape OTLP/JSON has, so both wire formats are checked the same way.
 * Only what the tests read is mapped; unknown fields are skipped, as protobuf requires.
 */

/** A decoded field: a varint, a fixed 64 or 32-bit word, or length-delimited bytes. */
type Field =
  | { no: number; wire: 0; value: bigint }
  | { no: number; wire: 1; value: Buffer }
  | { no: number; wire: 2; value: Buffer }
  | { no: number; wire: 5; value: Buffer };

function readVarint(buffer: Buffer, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let index = at; index < buffer.length && shift < 70n; index++) {
    const byte = buffer[index]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, index + 1];
    shift += 7n;
  }
  throw new Error('malformed protobuf: varint runs past its end');
}

function fields(buffer: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buffer.length) {
    const [key, next] = readVarint(buffer, at);
    at = next;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [value, after] = readVarint(buffer, at);
      out.push({ no, wire, value });
      at = after;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > buffer.length) throw new Error('malformed protobuf: fixed field cut short');
      out.push({ no, wire, value: buffer.subarray(at, at + size) });
      at += size;
    } else if (wire === 2) {
      const [length, after] = readVarint(buffer, at);
      const end = after + Number(length);
      if (end > buffer.length) throw new Error('malformed protobuf: field longer than its message');
      out.push({ no, wire, value: buffer.subarray(after, end) });
      at = end;
    } else {
      throw new Error(`malformed protobuf: wire type ${wire}`);
    }
  }
  return out;
}

const bytesOf = (list: Field[], no: number): Buffer[] =>
  list.flatMap((field) => (field.no === no && field.wire === 2 ? [field.value] : []));
const firstBytes = (list: Field[], no: number) => bytesOf(list, no)[0];
const text = (list: Field[], no: number) => firstBytes(list, no)?.toString('utf8');
const varint = (list: Field[], no: number) => {
  const field = list.find((candidate) => candidate.no === no && candidate.wire === 0);
  return field?.wire === 0 ? field.value : undefined;
};

/** An int64 read as a varint is two's complement over 64 bits. */
const signed = (value: bigint) => BigInt.asIntN(64, value);

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: JsonAnyValue[] };
}

function anyValue(buffer: Buffer): JsonAnyValue {
  const list = fields(buffer);
  const field = list[0];
  if (!field) return {};
  if (field.no === 1 && field.wire === 2) return { stringValue: field.value.toString('utf8') };
  if (field.no === 2 && field.wire === 0) return { boolValue: field.value !== 0n };
  if (field.no === 3 && field.wire === 0) return { intValue: signed(field.value).toString() };
  if (field.no === 4 && field.wire === 1) return { doubleValue: field.value.readDoubleLE(0) };
  if (field.no === 5 && field.wire === 2) {
    return { arrayValue: { values: bytesOf(fields(field.value), 1).map(anyValue) } };
  }
  return {};
}

function keyValues(list: Field[], no: number) {
  return bytesOf(list, no).map((entry) => {
    const pair = fields(entry);
    const value = firstBytes(pair, 2);
    return { key: text(pair, 1) ?? '', value: value ? anyValue(value) : {} };
  });
}

function span(buffer: Buffer) {
  const list = fields(buffer);
  const parent = firstBytes(list, 4);
  const status = firstBytes(list, 15);
  const statusFields = status ? fields(status) : [];
  const code = varint(statusFields, 3);
  return {
    traceId: firstBytes(list, 1)?.toString('hex') ?? '',
    spanId: firstBytes(list, 2)?.toString('hex') ?? '',
    parentSpanId: parent && parent.length > 0 ? parent.toString('hex') : '',
    name: text(list, 5) ?? '',
    kind: Number(varint(list, 6) ?? 0n),
    status: code === undefined ? {} : { code: Number(code) },
    attributes: keyValues(list, 9),
  };
}

/** The spans of an OTLP/protobuf traces export, in the OTLP/JSON shape. */
export function decodeTraceExport(body: Buffer) {
  return {
    resourceSpans: bytesOf(fields(body), 1).map((resourceSpans) => {
      const list = fields(resourceSpans);
      const resource = firstBytes(list, 1);
      return {
        resource: { attributes: resource ? keyValues(fields(resource), 1) : [] },
        scopeSpans: bytesOf(list, 2).map((scope) => ({
          spans: bytesOf(fields(scope), 2).map(span),
        })),
      };
    }),
  };
}
