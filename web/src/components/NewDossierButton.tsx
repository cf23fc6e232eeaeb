// "Nieuw dossier": opens the start page (in the werkvoorraad and the dossiers overview).
import { Button } from "@fluentui/react-components";
import { useI18n } from "../i18n";
import { useNav } from "../router";

export function NewDossierButton() {
  const { t } = useI18n();
  const { navigate } = useNav();
  return (
    <Button appearance="primary" onClick={() => navigate({ page: "nieuw" })}>{t.newDossier}</Button>
  );
}
