import QRCode from "qrcode";

/** The deposit address as a QR code: an SVG drawn on the server, shown as a data: URL image. */
export async function DepositQr({ address, label }: { address: string; label: string }) {
  const svg = await QRCode.toString(address, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 0,
    width: 208,
  });
  return (
    <div className="inline-block rounded-lg bg-white p-3">
      {/* biome-ignore lint/performance/noImgElement: a data: URL QR code */}
      <img
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
        alt={label}
        title={label}
        width={208}
        height={208}
      />
    </div>
  );
}
