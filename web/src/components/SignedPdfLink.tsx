import { Link } from "@fluentui/react-components";
import { useState } from "react";
import { api } from "../api/client";

/** The signed PDF's link: the document library's address, or (local backend) the tab's own
 * download, fetched with the user's identity and opened in a new window. */
export function SignedPdfLink({ dossierId, name, url, label }: {
  dossierId: string; name: string; url: string; label?: string;
}) {
  const [failed, setFailed] = useState(false);
  if (!url.startsWith("/api/")) {
    return <Link href={url} target="_blank" rel="noreferrer">{label ?? name}</Link>;
  }
  const open = async () => {
    const answer = await api.GET("/api/v1/dossiers/{id}/signed", {
      params: { path: { id: dossierId }, query: { name } }, parseAs: "blob",
    });
    if (!answer.response.ok || !answer.data) {
      setFailed(true);
      return;
    }
    const address = URL.createObjectURL(answer.data as Blob);
    window.open(address, "_blank", "noopener");
    setTimeout(() => URL.revokeObjectURL(address), 60_000);
  };
  return (
    <Link as="button" onClick={() => void open()} aria-invalid={failed || undefined}>
      {label ?? name}{failed ? " (!)" : ""}
    </Link>
  );
}
