// The flows (and their stages) to filter by, from GET /api/v1/flows/choices.
import { Dropdown, Field, Option } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { api, type Schemas } from "../api/client";

export type FlowChoice = Schemas["FlowChoice"];

export function useFlowChoices(): FlowChoice[] {
  const [flows, setFlows] = useState<FlowChoice[]>([]);
  useEffect(() => {
    let live = true;
    api.GET("/api/v1/flows/choices").then((r) => { if (live && r.data) setFlows(r.data.items); }, () => undefined);
    return () => { live = false; };
  }, []);
  return flows;
}

/** A dropdown of choices with "all" first; "" is all. */
export function ChoiceFilter({ label, all, value, choices, onChange, className }: {
  label: string; all: string; value: string; choices: { id: string; title: string }[];
  onChange: (value: string) => void; className?: string;
}) {
  const current = choices.find((c) => c.id === value);
  return (
    <Field label={label} className={className}>
      <Dropdown value={current ? current.title : all} selectedOptions={[value]}
        onOptionSelect={(_, d) => onChange(d.optionValue ?? "")}>
        <Option value="">{all}</Option>
        {choices.map((c) => <Option key={c.id} value={c.id}>{c.title}</Option>)}
      </Dropdown>
    </Field>
  );
}
