import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";

export function ErrorBar({ title, message }: { title: string; message: string }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {message}
      </MessageBarBody>
    </MessageBar>
  );
}
