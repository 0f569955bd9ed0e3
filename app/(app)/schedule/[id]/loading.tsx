// The schedule pages share the list's skeleton (the list keeps its own in (list)/, so that an [id]
// layout can answer 404 before any loading boundary streams).
export { default } from "@/app/(app)/schedule/(list)/loading";
