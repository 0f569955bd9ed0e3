import { redirect } from "next/navigation";

// The proxy already sent anonymous visitors to /sign-in.
export default function Home() {
  redirect("/schedule");
}
